"""The store: the SQLite repository of plans, revisions, results, users, keys, sessions, refusals and
events. It keeps what it is given and refuses only what would damage the data (a conflict, limits,
duplicate line ids, a lost result); who may ask for what is the desk's to decide (planner.desk).
Raw SQL lives here and nowhere else.

One file, schema versioned by `PRAGMA user_version`; every write is one `BEGIN IMMEDIATE` transaction.
Each part is a class of its own module, stacked in the order they build on one another:
connection → users → sessions → plans → results → events → outbox.
"""

from __future__ import annotations

from ..records import Notice, PlanRecord, Revision
from .connection import default_db_path
from .events import Event
from .outbox import Outbox
from .schema import SCHEMA_VERSION
from .sessions import session_ref


class Store(Outbox):
    """The repository: one open store file."""


__all__ = ["SCHEMA_VERSION", "Event", "Notice", "PlanRecord", "Revision", "Store", "default_db_path",
           "session_ref"]
