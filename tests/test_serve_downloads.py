"""The workbook downloads `planner serve` answers (planner.server.downloads), attacked with a raw HTTP client:
no cookie, a forged or ended session, another consortium's plan, a plan the contractor may not see yet,
odd query values and paths. Every refusal is a 4xx page in Japanese and English, with nothing of a
workbook in it; what is allowed is the workbook the store lets that person read."""

from __future__ import annotations

import html
import http.client
import io
import re
import time
from urllib.parse import quote, unquote

import openpyxl
import pytest

import planner

pytestmark = pytest.mark.server  # a raw HTTP client against a served app, no browser
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def get(server, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    con.putrequest("GET", path, skip_accept_encoding=True)  # the path exactly as given, `..` and all
    if cookie:
        con.putheader("Cookie", cookie)
    con.endheaders()
    resp = con.getresponse()
    body = resp.read()
    headers = {k.lower(): v for k, v in resp.getheaders()}
    con.close()
    return resp.status, headers, body


def cookie_for(server, key: str) -> str:
    """A session cookie, from the sign-in page's key link (no app page, so no kernel, is asked for)."""
    status, headers, _ = get(server, f"/login?key={key}")
    assert status == 302
    return headers["set-cookie"].split(";", 1)[0]


@pytest.fixture(scope="module")
def cookies(server, keys) -> dict[str, str]:
    return {u: cookie_for(server, keys[u]) for u in ("secretariat-kansai", "contractor", "officer")}


def refused(status: int, headers: dict[str, str], body: bytes, expected: int, ja: str, en: str) -> str:
    text = html.unescape(body.decode("utf-8"))
    assert status == expected, text
    assert "content-disposition" not in headers and not body.startswith(b"PK")
    assert headers["content-type"].startswith("text/html") and headers["cache-control"] == "no-store"
    assert ja in text and en in text, text
    return text


def workbook_text(body: bytes) -> str:
    wb = openpyxl.load_workbook(io.BytesIO(body))
    return " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_the_secretariat_downloads_its_plan_in_one_request_named_in_japanese(server, cookies):
    status, headers, body = get(server, "/workbook/plan?consortium=kansai&fy=2025", cookies["secretariat-kansai"])
    assert status == 200 and headers["content-type"] == XLSX
    assert headers["cache-control"] == "no-store" and headers["x-content-type-options"] == "nosniff"
    disposition = headers["content-disposition"]
    assert disposition.startswith('attachment; filename="plan_kansai_FY2025_rev2.xlsx"; ')
    star = re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)
    assert unquote(star) == "計画_関西コンソーシアム_2025年度_版2.xlsx" and star == quote(unquote(star), safe="")
    assert "関西留学生合同企業説明会2025" in workbook_text(body)
    assert "download: secretariat-kansai plan workbook consortium=kansai year=2025" in server.log()


def test_no_cookie_or_a_forged_one_gets_a_bilingual_403_and_no_redirect(server):
    for path in ("/workbook/plan?consortium=kansai&fy=2025", "/workbook/year?fy=2025"):
        for cookie in ("", "planner_session=forged-0123456789abcdef", "planner_session="):
            status, headers, body = get(server, path, cookie)
            text = refused(status, headers, body, 403, "サインインしていないため", "You are not signed in")
            assert "location" not in headers and "関西" not in text


def test_an_ended_session_is_refused(server, keys):
    cookie = cookie_for(server, keys["secretariat-hokkaido"])
    assert get(server, "/workbook/plan?consortium=hokkaido&fy=2025", cookie)[0] == 200
    # signed out (a POST with the page's XSRF token): the cookie names an ended session
    status, headers, body = get(server, "/logout", cookie)
    assert status == 200  # a GET only asks
    token = re.search(rb'name="_xsrf" value="([^"]+)"', body).group(1).decode()
    jar = f"{cookie}; {headers['set-cookie'].split(';', 1)[0]}"
    con = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    con.request("POST", "/logout", f"_xsrf={quote(token)}", {"Cookie": jar,
                                                              "Content-Type": "application/x-www-form-urlencoded"})
    assert con.getresponse().status == 302
    con.close()
    refused(*get(server, "/workbook/plan?consortium=hokkaido&fy=2025", cookie), 403,
            "サインインしていないため", "You are not signed in")


def test_another_consortiums_plan_and_the_year_are_refused_to_a_secretariat(server, cookies):
    text = refused(*get(server, "/workbook/plan?consortium=tohoku&fy=2025", cookies["secretariat-kansai"]), 403,
                   "ほかのコンソーシアム（tohoku）の計画は閲覧できません", "another consortium's plan")
    assert "東北オンライン合同企業説明会" not in text
    refused(*get(server, "/workbook/year?fy=2025", cookies["secretariat-kansai"]), 403,
            "事務局の権限では年度の集約 Excel はダウンロードできません", "may not download the year's consolidated")
    with planner.open_store(server.db) as store:  # both refusals are in the store's record, for the log
        recent = [(r["user"], r["action"], r["target"]) for r in store.refusals()[-2:]]
    assert recent == [("secretariat-kansai", "read", "tohoku/2025"),
                      ("secretariat-kansai", "download", "consolidated/2025")]


def test_the_contractor_gets_accepted_plans_only(server, cookies):
    c = cookies["contractor"]
    refused(*get(server, "/workbook/plan?consortium=kansai&fy=2025", c), 403,
            "受託者が見られるのは承認済みの計画だけです", "accepted plans only")
    refused(*get(server, "/workbook/plan?consortium=hokkaido&fy=2024", c), 403,  # no plan at all: the same
            "受託者が見られるのは承認済みの計画だけです", "accepted plans only")
    status, headers, body = get(server, "/workbook/plan?consortium=kyushu&fy=2025", c)
    assert status == 200 and "九州" in unquote(headers["content-disposition"])
    status, headers, body = get(server, "/workbook/year?fy=2025", c)
    assert status == 200 and headers["content-disposition"].startswith('attachment; filename="consolidated_FY2025_')
    text = workbook_text(body)
    assert "九州" in text and "関西留学生合同企業説明会2025" not in text  # a draft's lines are not in it


def test_the_officer_gets_the_year_quickly(server, cookies):
    start = time.monotonic()
    status, headers, body = get(server, "/workbook/year?fy=2025", cookies["officer"])
    seconds = time.monotonic() - start
    assert status == 200 and body.startswith(b"PK") and seconds < 10
    assert unquote(re.search(r"filename\*=UTF-8''(\S+)", headers["content-disposition"]).group(1)).startswith(
        "集約_2025年度_")


@pytest.mark.parametrize("query", [
    "", "fy=2025", "consortium=kansai", "consortium=kansai&fy=abc", "consortium=kansai&fy=2025&fy=2024",
    "consortium=kansai&consortium=tohoku&fy=2025", "consortium=kansai&fy=1999", "consortium=kansai&fy=99999",
    "consortium=..%2F..%2Fetc%2Fpasswd&fy=2025", "consortium=KANSAI&fy=2025", "consortium=kansai%00&fy=2025",
    "consortium=%E9%96%A2%E8%A5%BF&fy=2025", "consortium=" + "k" * 5000 + "&fy=2025",
    "consortium=%3Cscript%3E&fy=2025",
])
def test_odd_query_values_are_refused_and_never_echoed(server, cookies, query):
    status, headers, body = get(server, f"/workbook/plan?{query}", cookies["officer"])
    text = refused(status, headers, body, 400, "ダウンロードの指定（年度・コンソーシアム）が正しくありません",
                   "year or consortium is not valid")
    assert "<script" not in body.decode() and "passwd" not in text and "k" * 50 not in text


def test_a_consortium_not_in_the_year_is_not_found(server, cookies):
    refused(*get(server, "/workbook/plan?consortium=okinawa&fy=2025", cookies["officer"]), 404,
            "コンソーシアム okinawa は", "is not in the FY2025 data")


@pytest.mark.parametrize("path", [
    "/workbook/plan/../../etc/passwd", "/workbook/%2e%2e/%2e%2e/etc/passwd?fy=2025", "/workbook/plan/x?fy=2025",
    "/workbook/../voila/files/secretariat.ipynb", "/workbook/year/../plan?consortium=kansai&fy=2025",
])
def test_paths_around_the_endpoints_lead_nowhere(server, cookies, path):
    status, headers, body = get(server, path, cookies["officer"])
    assert status in (403, 404) and not body.startswith(b"PK") and "content-disposition" not in headers
    assert b"root:" not in body and b"cells" not in body
