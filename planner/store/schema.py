"""The store's schema, as the steps that build it: step n brings a store from version n-1 to n
(`PRAGMA user_version`). The store runs the missing steps when it opens a file."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable

# Schema steps, in order: step n brings a store from version n-1 to n. A step is SQL (statements
# separated by ";") or a function given the connection, inside the one transaction that migrates.
Migration = str | Callable[[sqlite3.Connection], None]


def _line_ids(conn: sqlite3.Connection) -> None:
    """Version 2: every line of every revision gets an id, and results name their line by id.

    Lines were known by position only. A line of a revision keeps the id of the line of the revision
    before it that it is: the same content (wherever it moved), else the line at the same position
    with the same item (a field was changed); anything else is a new line. A result is mapped from its
    position in the revision that was current when it was recorded (the last accepted revision at or
    before its time, as results are recorded on accepted plans) to that line's id, so a result that
    a later reorder or removal had shifted onto another line goes back to its own.
    Self-contained on purpose: later code may change, this step must not.
    """
    fields = ("item", "variant", "quantity", "month", "title", "place", "companies", "students", "language",
              "notes")
    ids_by_revision: dict[tuple[int, int], list[str]] = {}
    plan_ids = [r[0] for r in conn.execute("SELECT id FROM plans ORDER BY id")]
    for plan_id in plan_ids:
        prev: list[dict] = []
        rows = conn.execute("SELECT revision, content FROM revisions WHERE plan_id = ? ORDER BY revision",
                            (plan_id,)).fetchall()
        for revision, content in rows:
            doc = json.loads(content)
            lines = doc.get("lines") or []
            used: set[int] = set()
            for ln in lines:
                key = [ln.get(f) for f in fields]
                match = next((k for k, p in enumerate(prev) if k not in used
                              and [p.get(f) for f in fields] == key), None)
                ln["_match"] = match
                if match is not None:
                    used.add(match)
            for i, ln in enumerate(lines):
                if ln["_match"] is None and i < len(prev) and i not in used and prev[i].get("item") == ln.get("item"):
                    ln["_match"] = i
                    used.add(i)
            for ln in lines:
                k = ln.pop("_match")
                ln["id"] = prev[k]["id"] if k is not None else "L" + secrets.token_hex(6)
            ids_by_revision[(plan_id, revision)] = [ln["id"] for ln in lines]
            conn.execute("UPDATE revisions SET content = ? WHERE plan_id = ? AND revision = ?",
                         (json.dumps(doc, ensure_ascii=False), plan_id, revision))
            prev = lines
    conn.execute("""
        CREATE TABLE results_v2 (
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            line_id TEXT NOT NULL,
            content TEXT NOT NULL,
            by_user TEXT NOT NULL,
            at TEXT NOT NULL,
            PRIMARY KEY (plan_id, line_id)
        )""")
    for plan_id, line, content, by_user, at in conn.execute(
            "SELECT plan_id, line, content, by_user, at FROM results ORDER BY plan_id, line").fetchall():
        revs = conn.execute("SELECT revision, status FROM revisions WHERE plan_id = ? AND at <= ?"
                            " ORDER BY revision", (plan_id, at)).fetchall()
        accepted = [r for r, st in revs if st == "accepted"]
        revision = accepted[-1] if accepted else (revs[-1][0] if revs else None)
        if revision is None:
            revision = conn.execute("SELECT revision FROM plans WHERE id = ?", (plan_id,)).fetchone()[0]
        ids = ids_by_revision.get((plan_id, revision), [])
        # record_result only took numbers of the plan; a number outside it is kept, never dropped
        line_id = ids[line - 1] if isinstance(line, int) and 1 <= line <= len(ids) else f"position-{line}"
        doc = json.loads(content)
        doc.pop("line", None)
        doc["line_id"] = line_id
        conn.execute("INSERT INTO results_v2 (plan_id, line_id, content, by_user, at) VALUES (?, ?, ?, ?, ?)",
                     (plan_id, line_id, json.dumps(doc, ensure_ascii=False), by_user, at))
    conn.execute("DROP TABLE results")
    conn.execute("ALTER TABLE results_v2 RENAME TO results")


def without_invisible_characters(conn: sqlite3.Connection) -> None:
    """Version 10: the texts kept before the store removed invisible format characters (Unicode
    category Cf but the zero-width joiner of emoji: bidi overrides that reverse a title on screen,
    zero widths) lose them: plans' lines, comments, results, display and consortium names.
    Self-contained on purpose: later code may change, this step must not."""
    import unicodedata

    def clean(v: object) -> object:
        """A text without them; a list or a JSON object cleaned through, but for its ids."""
        if isinstance(v, str) and not v.isascii():
            return "".join(c for c in v if c == "\u200d" or unicodedata.category(c) != "Cf")
        if isinstance(v, list):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            return {k: x if k in ("id", "line_id") else clean(x) for k, x in v.items()}
        return v

    for table, key, columns in (("revisions", "rowid", ("comment",)), ("plans", "id", ("comment",)),
                                ("users", "name", ("display_name",)), ("consortia", "id", ("name_ja",))):
        for row in conn.execute(f"SELECT {key}, {', '.join(columns)} FROM {table}").fetchall():
            cleaned = [clean(v) for v in row[1:]]
            if cleaned != list(row[1:]):
                conn.execute(f"UPDATE {table} SET {', '.join(c + ' = ?' for c in columns)} WHERE {key} = ?",
                             (*cleaned, row[0]))
    for table, column in (("revisions", "content"), ("revisions", "changes"), ("results", "content")):
        for rowid, text in conn.execute(f"SELECT rowid, {column} FROM {table}").fetchall():
            if not text.isascii() and (new := json.dumps(clean(json.loads(text)), ensure_ascii=False)) != text:
                conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (new, rowid))


def _serves(conn: sqlite3.Connection) -> None:
    """A ⑦ (transport) or ⑩ (venue) line names the line it serves (`serves`, that line's id).

    Lines were checked against the whole plan. In every revision, each line of an item that serves
    others and names none is linked where exactly one line of that revision fits (going ahead, of an
    item it may serve); otherwise it is left unlinked (None) and the plan rules ask the person to
    choose. What each item may serve is read from the plan's fiscal-year file; the FY2024/FY2025
    default (⑦: ①⑤⑥, ⑩: ②–⑥) stands in for a year whose file cannot be read. Self-contained on
    purpose, as step 2 is: only the fiscal-year reader is shared.
    """
    from ..errors import FiscalYearError
    from ..fiscal_year import load_fiscal_year

    default = {7: (1, 5, 6), 10: (2, 3, 4, 5, 6)}
    serves_by_year: dict[int, dict[int, tuple[int, ...]]] = {}

    def serves_of(year: int) -> dict[int, tuple[int, ...]]:
        if year not in serves_by_year:
            try:
                fy = load_fiscal_year(year)
                table: dict[int, tuple[int, ...]] = {}
                for r in fy.rules:
                    if r.kind == "requires_companion":
                        table[r.item] = (*table.get(r.item, ()), *r.companions)
                serves_by_year[year] = table
            except (FiscalYearError, OSError, ValueError):
                serves_by_year[year] = default
        return serves_by_year[year]

    rows = conn.execute("SELECT r.plan_id, r.revision, r.content, p.fiscal_year FROM revisions r"
                        " JOIN plans p ON p.id = r.plan_id ORDER BY r.plan_id, r.revision").fetchall()
    for plan_id, revision, content, year in rows:
        doc = json.loads(content)
        lines = doc.get("lines") or []
        table = serves_of(year)
        changed = False
        for i, ln in enumerate(lines):
            if not isinstance(ln, dict) or "serves" in ln:
                continue
            items = table.get(ln.get("item")) if isinstance(ln.get("item"), int) else None
            fits = [o.get("id") for k, o in enumerate(lines) if items and k != i and isinstance(o, dict)
                    and o.get("item") in items and o.get("cancelled") is not True and o.get("id")]
            ln["serves"] = fits[0] if len(fits) == 1 else None
            changed = True
        if changed:
            conn.execute("UPDATE revisions SET content = ? WHERE plan_id = ? AND revision = ?",
                         (json.dumps(doc, ensure_ascii=False), plan_id, revision))


MIGRATIONS: list[Migration] = [
    # 1: the first schema
    """
    CREATE TABLE consortia (
        id TEXT PRIMARY KEY,
        name_ja TEXT NOT NULL
    );
    CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('secretariat', 'officer', 'contractor', 'analyst')),
        consortium TEXT REFERENCES consortia(id),
        display_name TEXT NOT NULL DEFAULT '',
        active INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        CHECK ((role = 'secretariat') = (consortium IS NOT NULL))
    );
    CREATE TABLE access_keys (
        id INTEGER PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name),
        salt BLOB NOT NULL,
        hash BLOB NOT NULL,
        created_at TEXT NOT NULL,
        revoked_at TEXT
    );
    CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        consortium TEXT NOT NULL,
        fiscal_year INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'accepted', 'returned')),
        revision INTEGER NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        UNIQUE (consortium, fiscal_year)
    );
    CREATE TABLE revisions (
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        revision INTEGER NOT NULL,
        content TEXT NOT NULL,
        by_user TEXT NOT NULL,
        at TEXT NOT NULL,
        status TEXT NOT NULL,
        status_from TEXT,
        comment TEXT NOT NULL DEFAULT '',
        changes TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (plan_id, revision)
    );
    CREATE TABLE results (
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        line INTEGER NOT NULL,
        content TEXT NOT NULL,
        by_user TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (plan_id, line)
    );
    CREATE TABLE refusals (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user TEXT,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        kind TEXT NOT NULL,
        reason TEXT NOT NULL
    );
    """,
    # 2: lines have ids; results are kept by line id
    _line_ids,
    # 3: sign-in sessions: only the token's hash is kept; the limits are the row's own, so the kernel,
    # which re-checks the session at every action, applies what the server chose at sign-in
    """
    CREATE TABLE sessions (
        hash TEXT PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name),
        key_id INTEGER REFERENCES access_keys(id),
        created REAL NOT NULL,
        last_seen REAL NOT NULL,
        idle_seconds INTEGER NOT NULL,
        max_seconds INTEGER NOT NULL,
        ended REAL,
        ended_reason TEXT
    );
    CREATE INDEX sessions_user ON sessions(user);
    """,
    # 4: the JupyterHub user (planner as a hub service) that signs in as a planner user; one each
    """
    ALTER TABLE users ADD COLUMN hub_name TEXT;
    CREATE UNIQUE INDEX users_hub_name ON users(hub_name);
    """,
    # 5: the latest revision of a plan each reviewer has looked at, so the comparison can start from
    # what they saw last time rather than from the first draft
    """
    CREATE TABLE seen (
        user TEXT NOT NULL REFERENCES users(name),
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        revision INTEGER NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (user, plan_id)
    );
    """,
    # 6: the language each user last chose in an app, to open it in next time
    """
    ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT '';
    """,
    # 7: what happened, to which plan, by whom: one row a change, written by the desk in the change's own
    # transaction, so whoever follows the events (the server's log, open pages, notices) misses none
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        by_user TEXT NOT NULL,
        action TEXT NOT NULL,
        consortium TEXT NOT NULL,
        fiscal_year INTEGER NOT NULL,
        revision INTEGER,
        status_from TEXT,
        status TEXT,
        line_id TEXT
    );
    CREATE INDEX events_plan ON events(consortium, fiscal_year);
    """,
    # 8: mail notices. Each person's address and choice (each event, a daily digest, none); the outbox
    # holds one row a mail to send, written in the transaction of the change it tells of, so neither a
    # crash nor a mail server that is down loses one. `dedupe` makes a reminder or a digest queued
    # twice one row; `claimed_*` keep two senders off the same row; `token` makes its Message-ID.
    """
    ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
    ALTER TABLE users ADD COLUMN notices TEXT NOT NULL DEFAULT 'each' CHECK (notices IN ('each', 'daily', 'none'));
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        user TEXT NOT NULL REFERENCES users(name),
        kind TEXT NOT NULL,
        delivery TEXT NOT NULL CHECK (delivery IN ('each', 'daily')),
        event_id INTEGER REFERENCES events(id),
        content TEXT NOT NULL DEFAULT '{}',
        dedupe TEXT UNIQUE,
        token TEXT NOT NULL,
        created TEXT NOT NULL,
        created_clock REAL NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'refused', 'dropped', 'digested')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_try REAL NOT NULL,
        claimed_by TEXT,
        claimed_until REAL,
        digest_id INTEGER REFERENCES outbox(id),
        done_at TEXT,
        last_error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX outbox_due ON outbox(status, delivery, next_try);
    """,
    # 9: a line of quantity n takes a result per session (1 … n); a result kept so far is its line's
    # session 1. The participating companies are part of the result's content (JSON), like its dates.
    """
    CREATE TABLE results_v9 (
        plan_id INTEGER NOT NULL REFERENCES plans(id),
        line_id TEXT NOT NULL,
        session INTEGER NOT NULL CHECK (session >= 1),
        content TEXT NOT NULL,
        by_user TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (plan_id, line_id, session)
    );
    INSERT INTO results_v9 (plan_id, line_id, session, content, by_user, at)
        SELECT plan_id, line_id, 1, content, by_user, at FROM results;
    DROP TABLE results;
    ALTER TABLE results_v9 RENAME TO results;
    """,
    # 10: no invisible format character is kept (planner.limits.visible); the texts stored before lose theirs
    without_invisible_characters,
    # 11: the inbox (お知らせ): which events each person has read; an event not marked is unread
    """
    CREATE TABLE notice_reads (
        user TEXT NOT NULL REFERENCES users(name),
        event_id INTEGER NOT NULL REFERENCES events(id),
        at TEXT NOT NULL,
        PRIMARY KEY (user, event_id)
    );
    CREATE INDEX events_action ON events(action);
    """,
    # 12: a ⑦ or ⑩ line names the line it serves; stored lines are linked where exactly one line fits
    _serves,
]
SCHEMA_VERSION = len(MIGRATIONS)
