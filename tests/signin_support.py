"""Signing in without a server: what `planner serve` hands a kernel once a key has signed in."""

from __future__ import annotations

from planner.app.identity import Request
from planner.store import Store, session_ref


def signed_in(store: Store, key: str, query: str = "", idle: int = 1800, max_age: int = 43200) -> Request:
    """The request of a page opened by whoever holds `key`, as the server passes it to the app."""
    token, _ = store.sign_in(key, idle, max_age)
    return Request(query, session_ref(token))
