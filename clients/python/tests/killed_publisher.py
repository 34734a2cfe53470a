"""Run by test_killed_publisher: publishes N events with fixed idempotency keys, then prints 'flushed'."""

import sys

from runcast import Publisher

url, run, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with Publisher(url, linger=0.001) as pub:
    for i in range(n):
        pub.publish(run, "answer.delta", {"i": i, "text": "z" * 200}, key=f"{run}-k{i}")
    pub.flush()
print("flushed", flush=True)
