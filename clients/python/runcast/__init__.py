"""Runcast for Python: publish agent events to a Runcast server and watch runs live.

>>> from runcast import Publisher
>>> with Publisher("http://localhost:8000") as pub:           # doctest: +SKIP
...     pub.thinking("plan-42", "reading the question", agent="planner")
...     pub.run_completed("plan-42")
"""

from ._core import Backoff, Limits, Stats
from .async_publisher import AsyncPublisher
from .errors import ERRORS, RuncastError, error_for
from .errors import *  # noqa: F401,F403 - one exception class per catalogue code
from .publisher import Publisher
from .watcher import Event, Subscribed, Watch, watch

__version__ = "0.1.0"

__all__ = ["AsyncPublisher", "Backoff", "ERRORS", "Event", "Limits", "Publisher", "RuncastError", "Stats",
           "Subscribed", "Watch", "error_for", "watch"] + [c.__name__ for c in ERRORS.values()]
