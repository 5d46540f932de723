"""`GET {base}workbook/plan?consortium=…&fy=…` and `GET {base}workbook/year?fy=…`: a workbook for the
signed-in person, built in the server through a desk opened for their session (planner.downloads).

Every refusal is a 4xx status with a short page in Japanese and English, never a redirect to the
sign-in page, which a browser saving the link's target would take for the file. The apps open these
links in a new tab (planner.app.widgets.download_button): a workbook, sent as an attachment, is saved
and that tab closes; a refusal is read there, beside the app's own tab, which stays as it was.
"""

from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join

from .. import downloads
from ..desk import Desk
from ..errors import AccessDenied, NotFound, PlannerError, SessionEnded
from ..fiscal_year import available_years
from ..store import Store
from ..text import Text
from .identity import SessionUser
from .pages import error_page

log = logging.getLogger("planner.serve.access")
# a few at a time: a workbook takes a tenth of a second, and a burst of clicks must not take every core
_BUILDERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="planner-workbook")
_YEAR = re.compile(r"[0-9]{4}")
_CONSORTIUM = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_LINE = re.compile(r"[1-9][0-9]{0,3}")

NO_SESSION = Text("サインインしていないため、ダウンロードできません。アプリの画面からサインインし直してください。",
                  "You are not signed in, so nothing can be downloaded. Sign in again from the app.")
BAD_QUERY = Text("ダウンロードの指定（年度・コンソーシアム）が正しくありません。"
                 "アプリの画面のリンクからダウンロードしてください。",
                 "The download's year or consortium is not valid. Download from the link in the app.")
FAILED = Text("ファイルを作成できませんでした。時間をおいてもう一度お試しください。"
              "続く場合は管理者に連絡してください。",
              "The file could not be made. Try again in a moment; if this persists, contact the administrator.")


class WorkbookHandler(JupyterHandler):
    """One kind of workbook download; the subclasses say which and read their query."""

    kind: ClassVar[str] = ""
    mime: ClassVar[str] = downloads.XLSX_MIME

    def _refuse(self, status: int, text: Text) -> None:
        self.clear_header("Content-Disposition")
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(error_page(status, text, self.base_url))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self._refuse(status_code, FAILED)

    def _one(self, name: str, pattern: re.Pattern[str]) -> str | None:
        """A parameter given once and in its form; None otherwise (twice is not a second chance)."""
        values = self.get_query_arguments(name, strip=False)  # "kansai\x00" is not kansai
        if len(values) != 1 or not pattern.fullmatch(values[0]):
            return None
        return values[0]

    def _year(self) -> int | None:
        text = self._one("fy", _YEAR)
        return int(text) if text is not None and int(text) in available_years() else None

    def _params(self) -> dict[str, Any] | None:
        raise NotImplementedError

    @staticmethod
    def _build(desk: Desk, **params: Any) -> tuple[str, str, bytes]:
        raise NotImplementedError

    @allow_unauthenticated  # answered here with a 403, not jupyter_server's redirect to the sign-in page
    async def get(self) -> None:
        user = self.current_user
        address = self.request.remote_ip or "-"
        if not isinstance(user, SessionUser):
            log.warning("download refused: no session from %s", address)
            self._refuse(403, NO_SESSION)
            return
        params = self._params()
        if params is None:
            log.warning("download refused: %s asked for an invalid %s workbook", user.username, self.kind)
            self._refuse(400, BAD_QUERY)
            return
        db = self.identity_provider.db or None  # type: ignore[attr-defined]
        try:
            name, ascii_name, data = await asyncio.get_running_loop().run_in_executor(
                _BUILDERS, _built, db, user.session, self._build, params)
        except SessionEnded as exc:
            self._refuse(403, Text(exc.message_ja, exc.message_en))
            return
        except AccessDenied as exc:  # logged by the desk as a refusal
            self._refuse(403, Text(exc.message_ja, exc.message_en))
            return
        except NotFound as exc:
            self._refuse(404, Text(exc.message_ja, exc.message_en))
            return
        except PlannerError:
            self._refuse(400, FAILED)
            return
        log.info("download: %s %s workbook %s", user.username, self.kind,
                 " ".join(f"{k}={v}" for k, v in sorted(params.items())))
        self.set_header("Content-Type", self.mime)
        self.set_header("Content-Disposition", downloads.content_disposition(name, ascii_name))
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.finish(data)


def _built(db: str | None, session: str, build: Any, params: dict[str, Any]) -> tuple[str, str, bytes]:
    """In a worker thread: a store of its own, and a desk for the asking session (which it checks again)."""
    store = Store(db)
    try:
        return build(Desk(store, store.session_user(session), session), **params)
    finally:
        store.close()


class PlanWorkbookHandler(WorkbookHandler):
    kind = "plan"

    def _params(self) -> dict[str, Any] | None:
        year, consortium = self._year(), self._one("consortium", _CONSORTIUM)
        return None if year is None or consortium is None else {"consortium": consortium, "year": year}

    @staticmethod
    def _build(desk: Desk, **params: Any) -> tuple[str, str, bytes]:
        return downloads.plan_download(desk, params["consortium"], params["year"])


class YearWorkbookHandler(WorkbookHandler):
    kind = "consolidated"

    def _params(self) -> dict[str, Any] | None:
        year = self._year()
        return None if year is None else {"year": year}

    @staticmethod
    def _build(desk: Desk, **params: Any) -> tuple[str, str, bytes]:
        return downloads.year_download(desk, params["year"])


class ResultsBookHandler(WorkbookHandler):
    """The year's results book (実績集計): to the reviewers, with the accepted plans they may read."""

    kind = "results"

    def _params(self) -> dict[str, Any] | None:
        year = self._year()
        return None if year is None else {"year": year}

    @staticmethod
    def _build(desk: Desk, **params: Any) -> tuple[str, str, bytes]:
        return downloads.results_download(desk, params["year"])


class EventReportHandler(WorkbookHandler):
    """A line's event report (PDF): to whoever may read the plan, as the desk decides."""

    kind = "event report"
    mime = downloads.PDF_MIME

    def _params(self) -> dict[str, Any] | None:
        year, consortium, line = self._year(), self._one("consortium", _CONSORTIUM), self._one("line", _LINE)
        if year is None or consortium is None or line is None:
            return None
        return {"consortium": consortium, "year": year, "line": int(line)}

    @staticmethod
    def _build(desk: Desk, **params: Any) -> tuple[str, str, bytes]:
        return downloads.event_download(desk, params["consortium"], params["year"], params["line"])


def handlers(base: str) -> list[tuple[str, type]]:
    return [(url_path_join(base, "/" + downloads.PLAN_PATH), PlanWorkbookHandler),
            (url_path_join(base, "/" + downloads.YEAR_PATH), YearWorkbookHandler),
            (url_path_join(base, "/" + downloads.RESULTS_PATH), ResultsBookHandler),
            (url_path_join(base, "/" + downloads.EVENT_PATH), EventReportHandler)]
