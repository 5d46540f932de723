"""The kernel websocket with a limit on what a page may send: a token bucket per sign-in session.

A page sends its kernel a widget (comm) message for each change a person makes: a key typed in a text
field, a choice, a click; a fast typist sends a few dozen a second, a slider dragged about sixty. One
signed-in secretariat had sent 20,000 in 2 seconds over a raw websocket, which kept their kernel busy for
32 seconds and slowed everyone else's pages. Here the server drops what comes faster than RATE a second
(after a burst of BURST), before anything reaches the kernel and before the message is even parsed, and
logs one line a flood.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

RATE, BURST = 200.0, 400.0  # messages a second a session may send its kernels, and how many at once
QUIET = 2.0  # seconds without a dropped message after which a new flood is logged again
FORGET_AFTER = 600.0  # seconds after which an idle session's bucket is forgotten

log = logging.getLogger("planner.serve.access")


class Bucket:
    """A token bucket: RATE tokens a second, at most BURST; a message takes one."""

    def __init__(self, rate: float = RATE, burst: float = BURST) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.at = time.monotonic()
        self.last_drop = float("-inf")

    def take(self, now: float) -> bool:
        """Whether a message arriving `now` may pass (it takes a token)."""
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.rate)
        self.at = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


_buckets: dict[str, Bucket] = {}


def _bucket(session: str, now: float) -> Bucket:
    bucket = _buckets.get(session)
    if bucket is None:
        if len(_buckets) > 1000:  # sessions that sent nothing for a while start full anyway
            for ref in [r for r, b in _buckets.items() if now - b.at > FORGET_AFTER]:
                del _buckets[ref]
        bucket = _buckets[session] = Bucket()
    return bucket


class LimitedChannels(ZMQChannelsWebsocketConnection):
    """Voilà's kernel websocket (jupyter_server's), with the per-session limit on incoming messages."""

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        user = getattr(self.websocket_handler, "current_user", None)
        session = getattr(user, "session", None) or f"kernel:{self.kernel_id}"
        now = time.monotonic()
        bucket = _bucket(session, now)
        if not bucket.take(now):
            if now - bucket.last_drop > QUIET:
                log.warning("flood: %s sends messages to their page faster than %d a second; the excess is "
                            "dropped until it slows down", getattr(user, "username", "-"), int(RATE))
            bucket.last_drop = now
            return
        super().handle_incoming_message(incoming_msg)
