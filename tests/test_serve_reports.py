"""The event report and results book downloads `planner serve` answers, attacked with a raw HTTP client:
no cookie, a forged session, a plan the person may not see, a line that is not there or has no results,
odd query values. Every refusal is a 4xx page in Japanese and English with nothing of a report in it."""

from __future__ import annotations

import html
import http.client
from urllib.parse import unquote

import pytest

import planner

pytestmark = pytest.mark.server
EVENT = "/report/event?consortium=tohoku&fy=2024&line=1"


def get(server, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    con.putrequest("GET", path, skip_accept_encoding=True)
    if cookie:
        con.putheader("Cookie", cookie)
    con.endheaders()
    resp = con.getresponse()
    body = resp.read()
    headers = {k.lower(): v for k, v in resp.getheaders()}
    con.close()
    return resp.status, headers, body


@pytest.fixture(scope="module")
def cookies(server, keys) -> dict[str, str]:
    out = {}
    for u in ("secretariat-kansai", "secretariat-tohoku", "contractor", "officer"):
        status, headers, _ = get(server, f"/login?key={keys[u]}")
        assert status == 302
        out[u] = headers["set-cookie"].split(";", 1)[0]
    return out


def refused(status: int, headers: dict[str, str], body: bytes, expected: int, ja: str, en: str) -> None:
    text = html.unescape(body.decode("utf-8"))
    assert status == expected, text
    assert "content-disposition" not in headers and not body.startswith((b"%PDF", b"PK"))
    assert headers["content-type"].startswith("text/html") and headers["cache-control"] == "no-store"
    assert ja in text and en in text, text


def test_the_contractor_downloads_the_event_report_and_the_results_book(server, cookies):
    status, headers, body = get(server, EVENT, cookies["contractor"])
    assert status == 200 and headers["content-type"] == "application/pdf" and body.startswith(b"%PDF")
    assert headers["content-disposition"].startswith('attachment; filename="event_tohoku_FY2024_line1.pdf"; ')
    assert "実施報告_東北コンソーシアム_2024年度_1行目.pdf" in unquote(headers["content-disposition"])
    status, headers, body = get(server, "/report/year?fy=2024", cookies["officer"])
    assert status == 200 and body.startswith(b"PK")
    assert headers["content-disposition"].startswith('attachment; filename="results_FY2024_')
    assert "download: officer results workbook year=2024" in server.log()


def test_the_consortiums_own_secretariat_may_have_its_event_report(server, cookies):
    status, headers, body = get(server, EVENT, cookies["secretariat-tohoku"])
    assert status == 200 and body.startswith(b"%PDF")


def test_refusals_are_bilingual_and_carry_nothing(server, cookies):
    for path in (EVENT, "/report/year?fy=2024"):
        for cookie in ("", "planner_session=forged-0123456789abcdef"):
            refused(*get(server, path, cookie), 403, "サインインしていないため", "You are not signed in")
    k = cookies["secretariat-kansai"]
    refused(*get(server, EVENT, k), 403, "ほかのコンソーシアム（tohoku）の計画は閲覧できません",
            "another consortium's plan")
    refused(*get(server, "/report/year?fy=2024", k), 403,
            "事務局の権限では年度の実績集計ブックはダウンロードできません", "may not download the year's results book")
    with planner.open_store(server.db) as store:
        recent = [(r["user"], r["action"], r["target"]) for r in store.refusals()[-2:]]
    assert recent == [("secretariat-kansai", "read", "tohoku/2024"), ("secretariat-kansai", "download", "results/2024")]
    o = cookies["officer"]
    refused(*get(server, "/report/event?consortium=tohoku&fy=2024&line=99", o), 404,
            "99 行目はこの計画にありません", "The plan has no line 99")
    refused(*get(server, "/report/event?consortium=tohoku&fy=2024&line=2", o), 404,
            "実績がまだ記録されていない", "has no results recorded yet")
    for bad in ("line=0", "line=-1", "line=1&line=2", "line=%EF%BC%91", "line=1%00", "line=abc", "line=99999"):
        refused(*get(server, f"/report/event?consortium=tohoku&fy=2024&{bad}", o), 400,
                "ダウンロードの指定", "not valid")
    # a plan the contractor may not see yet (kansai's FY2025 plan is a draft)
    refused(*get(server, "/report/event?consortium=kansai&fy=2025&line=1", cookies["contractor"]), 403,
            "受託者が見られるのは承認済みの計画だけです", "accepted plans only")
