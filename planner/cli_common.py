"""What every `planner` command shares: usage mistakes, the message language, the store path, and
findings as the commands print them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .desk import Desk
from .findings import Finding
from .store import Store, default_db_path
from .text import Text


class Usage(Exception):
    """A usage mistake found after parsing (exit 2)."""


def lang_of(args: argparse.Namespace) -> str:
    """The language of messages: --lang, else PLANNER_LANG, else Japanese."""
    lang = getattr(args, "lang", None) or os.environ.get("PLANNER_LANG", "ja")
    return "en" if lang.lower().startswith("en") else "ja"


def db_path(args: argparse.Namespace) -> Path:
    """The store file: --db, else PLANNER_DB (planner.store's default), else the default path."""
    return Path(args.db) if getattr(args, "db", None) else default_db_path()


def desk_of(store: Store, name: str) -> Desk:
    """`--as USER`: that person's desk. A login that is not registered is refused as such (NotFound,
    exit 1) rather than with the apps' 「ログインしていません」, which means nothing on a command line."""
    store.user(name)
    return store.desk(name)


def finding_dict(f: Finding) -> dict:
    return {"code": f.code, "severity": f.severity, "line": f.line, "sheet": f.sheet, "row": f.row,
            "column": f.column, "message_ja": f.message_ja, "message_en": f.message_en}


def format_finding(f: Finding, lang: str) -> str:
    sev = Text("エラー", "error")(lang) if f.is_error else Text("警告", "warning")(lang)
    where = []
    if f.sheet:
        where.append(f.sheet)
    if f.row is not None:
        where.append(Text(f"{f.row}行", f"row {f.row}")(lang))
    if f.column:
        where.append(Text(f"{f.column}列", f"column {f.column}")(lang))
    loc = f" [{' '.join(where)}]" if where else ""
    return f"[{sev}] {f.code}{loc}: {f.message(lang)}"
