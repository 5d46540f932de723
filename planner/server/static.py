"""Voilà's template static files (`/voila/templates/<template>/static/<file>`), with the path checked
before Voilà reads it: Voilà's handler splits the path without looking, so `/voila/templates/`,
`…/static/../..` or a NUL answered 500 with a traceback in the log for each request."""

from __future__ import annotations

import re
from typing import Any

from tornado import web
from voila.static_file_handler import TemplateStaticFileHandler

_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
STATIC_PATH = re.compile(rf"{_NAME}/static(?:/{_NAME})+")


class PlannerTemplateStatic(TemplateStaticFileHandler):
    """A template's static file, or 404 for any path that is not `<template>/static/<file>` in plain
    names (no `..`, no empty or odd segment)."""

    def parse_url_path(self, path: str) -> Any:
        if not STATIC_PATH.fullmatch(path or "") or any(part == ".." for part in path.split("/")):
            raise web.HTTPError(404)
        return super().parse_url_path(path)
