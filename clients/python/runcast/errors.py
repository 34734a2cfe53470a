"""The server's error catalogue as exceptions.

One class per code of ``io.runcast.protocol.ErrorCode`` (docs/protocol.md, "Error codes"); the
client raises these and no others, so ``except runcast.RunClosedError`` means the same thing
whichever transport answered. A request whose outcome is unknown (the connection dropped, retries
ran out) raises :class:`UnavailableError`: retry it with the same idempotency keys.
"""

from __future__ import annotations

from typing import Any, Dict, Mapping, Optional, Type


class RuncastError(Exception):
    """An error from the catalogue: ``code`` is its wire name, ``status`` its HTTP status."""

    code: str = "internal"
    status: int = 500

    def __init__(self, message: str, *, code: Optional[str] = None, request_id: Any = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.request_id = request_id

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class BadJsonError(RuncastError):
    code, status = "bad_json", 400


class BadRequestError(RuncastError):
    code, status = "bad_request", 400


class UnknownOpError(RuncastError):
    code, status = "unknown_op", 400


class InvalidRunError(RuncastError):
    code, status = "invalid_run", 400


class InvalidTypeError(RuncastError):
    code, status = "invalid_type", 400


class TooLargeError(RuncastError):
    code, status = "too_large", 413


class NotFoundError(RuncastError):
    code, status = "not_found", 404


class RunClosedError(RuncastError):
    code, status = "run_closed", 409


class AlreadySubscribedError(RuncastError):
    code, status = "already_subscribed", 409


class NotSubscribedError(RuncastError):
    code, status = "not_subscribed", 409


class DecisionNotFoundError(RuncastError):
    code, status = "decision_not_found", 404


class DecisionClosedError(RuncastError):
    code, status = "decision_closed", 409


class InvalidChoiceError(RuncastError):
    code, status = "invalid_choice", 400


class NotRunningError(RuncastError):
    code, status = "not_running", 409


class ConversationBusyError(RuncastError):
    code, status = "conversation_busy", 409


class LimitExceededError(RuncastError):
    code, status = "limit_exceeded", 429


class UnauthorizedError(RuncastError):
    code, status = "unauthorized", 401


class ForbiddenError(RuncastError):
    code, status = "forbidden", 403


class UnavailableError(RuncastError):
    code, status = "unavailable", 503


class InternalError(RuncastError):
    code, status = "internal", 500


#: wire code → exception class, exactly the codes of ``io.runcast.protocol.ErrorCode``.
ERRORS: Mapping[str, Type[RuncastError]] = {
    cls.code: cls
    for cls in (
        BadJsonError, BadRequestError, UnknownOpError, InvalidRunError, InvalidTypeError,
        TooLargeError, NotFoundError, RunClosedError, AlreadySubscribedError, NotSubscribedError,
        DecisionNotFoundError, DecisionClosedError, InvalidChoiceError, NotRunningError,
        ConversationBusyError, LimitExceededError, UnauthorizedError, ForbiddenError,
        UnavailableError, InternalError,
    )
}

_BY_STATUS: Dict[int, Type[RuncastError]] = {401: UnauthorizedError, 403: ForbiddenError,
                                              404: NotFoundError, 413: TooLargeError,
                                              429: LimitExceededError, 503: UnavailableError}

#: codes worth retrying with the same idempotency keys: the request may succeed later.
RETRYABLE = frozenset({"unavailable", "internal", "limit_exceeded"})


def error_for(code: Optional[str], message: str, *, status: Optional[int] = None,
              request_id: Any = None) -> RuncastError:
    """The exception for a code the server sent (an unknown code becomes ``internal``, as in Java)."""
    cls = ERRORS.get(code or "")
    if cls is None:
        cls = _BY_STATUS.get(status or 0, InternalError)
    return cls(message, request_id=request_id)


def from_http(status: int, body: bytes) -> RuncastError:
    """The exception for an HTTP error answer ``{"error":{"code","message"}}`` (or a bare status)."""
    import json

    try:
        err = json.loads(body)["error"]
        return error_for(err.get("code"), str(err.get("message", "")), status=status)
    except (ValueError, KeyError, TypeError, AttributeError):
        text = body[:200].decode("utf-8", "replace").strip() or f"HTTP {status}"
        return error_for(None, text, status=status)


__all__ = ["RuncastError", "ERRORS", "RETRYABLE", "error_for", "from_http"] + [
    c.__name__ for c in ERRORS.values()]
