"""Consortia, users and their access keys, as the store keeps them. Who may manage them is the CLI's
business (whoever holds the file); nothing here asks who is asking."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from typing import Any

from .. import limits
from ..access import ROLES, User, default_display_name
from ..errors import AccessDenied, InvalidAction, NotFound
from . import connection
from .connection import Connection, refuse_oversize

HUB_NAME_CHARS = 255


KEY_CHARS = 200  # the longest secret part of a key looked up (issued ones have 32 characters)


def _hash_key(salt: bytes, secret: str) -> bytes:
    # Keys are 192-bit random tokens, so a salted SHA-256 is enough: there is nothing to brute-force.
    return hashlib.sha256(salt + secret.encode()).digest()


def user_from_row(r: sqlite3.Row) -> User:
    return User(r["name"], r["role"], r["consortium"], r["display_name"], bool(r["active"]), r["hub_name"])


class Users(Connection):
    def add_consortium(self, cid: str, name_ja: str) -> None:
        name_ja = limits.visible(name_ja)
        with self.transaction() as db:
            db.execute(
                "INSERT INTO consortia (id, name_ja) VALUES (?, ?)"
                " ON CONFLICT(id) DO UPDATE SET name_ja = excluded.name_ja",
                (cid, name_ja),
            )

    def consortia(self) -> dict[str, str]:
        return {r["id"]: r["name_ja"] for r in self.db.execute("SELECT id, name_ja FROM consortia ORDER BY rowid")}

    def add_user(self, name: str, role: str, consortium: str | None = None, display_name: str = "",
                 hub_name: str | None = None) -> User:
        """A new user; `hub_name` is the JupyterHub user who signs in as this one (under a hub)."""
        if role not in ROLES:
            raise InvalidAction(f"役割 {role!r} はありません（{', '.join(ROLES)}）。",
                                f"Unknown role {role!r} (use one of {', '.join(ROLES)}).")
        if (role == "secretariat") != (consortium is not None):
            raise InvalidAction("事務局の利用者には --consortium が必要で、ほかの役割には指定できません。",
                                "A secretariat user needs --consortium; other roles take none.")
        if consortium is not None and consortium not in self.consortia():
            raise NotFound(f"コンソーシアム {consortium!r} は登録されていません。",
                           f"Consortium {consortium!r} is not registered.")
        refuse_oversize([why] if (why := limits.text_problem("表示名", "display name", display_name)) else [])
        display_name = limits.visible(display_name)  # a right-to-left override would reverse it on every page
        if not name or len(name) > 64 or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
            raise InvalidAction("利用者名は英数字と - _ . で、64文字以内で書いてください。",
                                "A user name may hold letters, digits, - _ and . only (64 at most).")
        _check_hub_name(hub_name)
        with self.transaction() as db:
            if db.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise InvalidAction(f"利用者 {name} はすでにいます。", f"User {name} already exists.")
            _refuse_taken_hub_name(db, hub_name, name)
            db.execute(
                "INSERT INTO users (name, role, consortium, display_name, created_at, hub_name)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (name, role, consortium, display_name, connection.now(), hub_name),
            )
        return User(name, role, consortium, display_name, True, hub_name)

    def set_hub_name(self, name: str, hub_name: str | None) -> User:
        """Map an existing user to a JupyterHub user (None: no longer). Their open sessions stay as they
        are; a different hub user signs in as them from now on."""
        self.user(name)
        _check_hub_name(hub_name)
        with self.transaction() as db:
            _refuse_taken_hub_name(db, hub_name, name)
            db.execute("UPDATE users SET hub_name = ? WHERE name = ?", (hub_name, name))
        return self.user(name)

    def users(self) -> list[User]:
        rows = self.db.execute("SELECT * FROM users ORDER BY role, name").fetchall()
        return [user_from_row(r) for r in rows]

    def user(self, name: str) -> User:
        r = self.db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        if r is None:
            raise NotFound(f"利用者 {name!r} は登録されていません。", f"User {name!r} is not registered.")
        return user_from_row(r)

    def user_or_none(self, name: str | None) -> User | None:
        r = self.db.execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone() if name else None
        return user_from_row(r) if r else None

    def display_names(self) -> dict[str, str]:
        """What to call each user on screen and in workbooks: login name -> the display name if one was
        given, else one made from what the store knows (「関西コンソーシアム 事務局」, 「受託者」), with the
        login added only when two people would otherwise look the same. Revisions keep the login name,
        which stays unique when a display name changes; a name not in the map (no such user any more)
        is shown as it is stored."""
        consortia = self.consortia()
        rows = self.db.execute("SELECT name, role, consortium, display_name FROM users").fetchall()
        given = {r["name"]: r["display_name"] for r in rows if r["display_name"]}
        made = {r["name"]: default_display_name(r["role"], consortia.get(r["consortium"]))
                for r in rows if not r["display_name"]}
        shown = [*given.values(), *made.values()]
        # a made name is the same for everyone of a role: whoever shares one is told apart by the login
        made = {n: (f"{m}（{n}）" if shown.count(m) > 1 else m) for n, m in made.items()}
        return {**given, **made}

    def display_name(self, name: str) -> str:
        """One user's name as display_names gives it; the login name itself for an unknown user."""
        return self.display_names().get(name, name)

    def language(self, name: str) -> str:
        """The language this user last chose in an app ("ja" or "en"); "" if none yet."""
        r = self.db.execute("SELECT lang FROM users WHERE name = ?", (name,)).fetchone()
        return (r["lang"] if r else "") or ""

    def set_language(self, name: str, lang: str) -> None:
        """Remember the language a user chose: the apps open in it when the URL does not name one."""
        if lang not in ("ja", "en"):
            raise InvalidAction(f"言語 {lang!r} は使えません（ja か en）。", f"Language {lang!r} is not ja or en.")
        with self.transaction() as db:
            db.execute("UPDATE users SET lang = ? WHERE name = ? AND lang != ?", (lang, name, lang))

    def issue_key(self, name: str) -> str:
        """A new access key for a user; only its salted hash is stored, so show it now or never."""
        self.user(name)
        secret = secrets.token_urlsafe(24)
        salt = secrets.token_bytes(16)
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO access_keys (user, salt, hash, created_at) VALUES (?, ?, ?, ?)",
                (name, salt, _hash_key(salt, secret), connection.now()),
            )
        return f"{cur.lastrowid}.{secret}"

    def revoke_keys(self, name: str) -> int:
        """Revoke every live key of a user; returns how many."""
        self.user(name)
        with self.transaction() as db:
            cur = db.execute(
                "UPDATE access_keys SET revoked_at = ? WHERE user = ? AND revoked_at IS NULL", (connection.now(), name)
            )
        return cur.rowcount

    def keys(self, name: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT id, user, created_at, revoked_at FROM access_keys"
        rows = self.db.execute(sql + (" WHERE user = ?" if name else "") + " ORDER BY id", (name,) if name else ())
        return [dict(r) for r in rows]

    def _key_user(self, key: str | None) -> tuple[int, User] | None:
        """The key's id and the user it belongs to, if the key is right and not revoked."""
        key_id, _, secret = (key or "").partition(".")
        row = None
        # ASCII digits only, and few enough for SQLite: int() takes "²" and 5,000 digits badly
        if key_id.isascii() and key_id.isdigit() and len(key_id) <= 18 and 0 < len(secret) <= KEY_CHARS:
            row = self.db.execute("SELECT * FROM access_keys WHERE id = ?", (int(key_id),)).fetchone()
        if row is None or row["revoked_at"] or not hmac.compare_digest(row["hash"], _hash_key(row["salt"], secret)):
            return None
        return row["id"], self.user(row["user"])

    def authenticate(self, key: str | None) -> User:
        """The user an access key belongs to; AccessDenied (logged) for a missing, wrong or revoked key."""
        denied = AccessDenied(
            "アクセスキーが無効です（未入力、誤り、または失効）。キーを発行した担当者に新しいキーを依頼してください。",
            "The access key is missing, wrong or revoked. Ask whoever issued your key for a new one.",
        )
        key_id = (key or "").partition(".")[0]
        if not (key_id.isascii() and key_id.isdigit() and len(key_id) <= 18):
            key_id = "?" if key_id else ""  # what is not a key's id may be a secret, or just long: never logged
        found = self._key_user(key)
        if found is None or not found[1].active:
            self.log_refusal(denied, found[1].name if found else None, "authenticate", f"key {key_id or '-'}")
            raise denied
        return found[1]

    def disable_user(self, name: str) -> int:
        """Disable a user: their keys stop working and every open session ends at its next action.
        Returns how many sessions were ended."""
        self.user(name)
        with self.transaction() as db:
            db.execute("UPDATE users SET active = 0 WHERE name = ?", (name,))
            cur = db.execute("UPDATE sessions SET ended = ?, ended_reason = 'disabled'"
                             " WHERE user = ? AND ended IS NULL", (connection.clock(), name))
        return cur.rowcount


def _check_hub_name(hub_name: str | None) -> None:
    if hub_name is not None and not (0 < len(hub_name) <= HUB_NAME_CHARS and hub_name.isprintable()
                                     and hub_name.strip() == hub_name):
        raise InvalidAction(f"JupyterHub の利用者名は空白なしの{HUB_NAME_CHARS}文字以内で書いてください。",
                            f"A JupyterHub user name must be {HUB_NAME_CHARS} characters at most, without "
                            "surrounding spaces.")


def _refuse_taken_hub_name(db: sqlite3.Connection, hub_name: str | None, name: str) -> None:
    other = db.execute("SELECT name FROM users WHERE hub_name = ? AND name != ?", (hub_name, name)).fetchone() \
        if hub_name is not None else None
    if other:
        raise InvalidAction(f"JupyterHub の利用者 {hub_name} は、すでに {other['name']} に割り当てられています。",
                            f"JupyterHub user {hub_name} is already mapped to {other['name']}.")
