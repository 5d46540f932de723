"""Invisible format characters (bidi overrides, zero widths, tags) never reach the store, whatever the
path: the API, the desk the apps use, a workbook, the CLI, display names, comments and results. The
store removes them (limits.visible); the edges say what was removed."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
import unicodedata

import pytest
from plan_support import KANSAI_LINES
from workbook_support import edit

import planner
from planner import Line, Plan, limits
from planner.demo import TOHOKU_2024_EVENT
from planner.workbook import import_workbook, plan_workbook, read_workbook

RLO, PDF, ZWSP, BOM, LRI, ZWJ = "\u202e", "\u202c", "\u200b", "\ufeff", "\u2066", "\u200d"
K = "secretariat-kansai"
HOSTILE = f"合同{RLO}会明説業企{PDF}{ZWSP}2025{BOM}{LRI}x\u2069\U000e0041"


def _stored_texts(store) -> str:
    """Every text the store file holds, as one string."""
    out = []
    for (table,) in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in store.db.execute(f"SELECT * FROM {table}"):
            out += [v for v in row if isinstance(v, str)]
    return "\n".join(out)


def _assert_clean(store) -> None:
    text = _stored_texts(store)
    bad = [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf" and c != ZWJ]
    assert not bad, bad


def test_every_format_character_but_the_joiner_is_removed():
    cf = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert len(cf) > 150
    text = "a" + "あ".join(cf) + "z"
    assert limits.visible(text) == text.translate({ord(c): None for c in cf if c != ZWJ})
    assert limits.visible(text).count("あ") == len(cf) - 1 and limits.visible(text).count(ZWJ) == 1
    assert ZWJ in limits.visible("👩\u200d💻")  # an emoji sequence stays whole
    assert limits.invisible_in(f"x{RLO}y{RLO}{ZWSP}") == ["U+202E", "U+200B"]
    assert limits.visible("plain ascii") == "plain ascii" and limits.visible(3) == 3 and limits.invisible_in(None) == []


def test_api_save_comment_and_result_are_stored_without_them(store):
    lines = [dataclasses.replace(ln, title=HOSTILE if i == 0 else ln.title, place=f"大阪{RLO}", notes=f"{ZWSP}備考")
             for i, ln in enumerate(KANSAI_LINES)]
    r = store.save(Plan("kansai", 2025, lines), by=K, base_revision=None)
    rec = store.current("kansai", 2025)
    assert rec.plan.lines[0].title == "合同会明説業企2025x" and rec.plan.lines[0].place == "大阪"
    assert rec.plan.lines[1].notes == "備考"
    store.submit("kansai", 2025, by=K, base_revision=r)
    store.return_plan("kansai", 2025, by="officer", comment=f"{RLO}1回減らしてください")
    assert store.current("kansai", 2025).comment == "1回減らしてください"
    assert store.revisions("kansai", 2025)[-1].comment == "1回減らしてください"

    r = store.save(Plan("tohoku", 2025, KANSAI_LINES[3:5]), by="secretariat-tohoku", base_revision=None)
    store.submit("tohoku", 2025, by="secretariat-tohoku", base_revision=r)
    store.accept("tohoku", 2025, by="officer")
    event = planner.Result(**{**TOHOKU_2024_EVENT.as_dict(), "dates": [f"2025-11-19{ZWSP}"],
                              "venue": f"仙台{RLO}市", "notes": f"{LRI}メモ"})
    store.record_result("tohoku", 2025, event, by="contractor")
    [got] = store.results("tohoku", 2025, by="officer")
    assert (got.venue, got.notes, got.dates) == ("仙台市", "メモ", ("2025-11-19",))
    _assert_clean(store)


def test_display_names_and_consortium_names(store):
    u = store.add_user("jetro-sato", "officer", display_name=f"JETRO {RLO}佐藤{BOM}")
    assert u.display_name == "JETRO 佐藤" and store.display_name("jetro-sato") == "JETRO 佐藤"
    store.add_consortium("kansai", f"関西{RLO}")
    assert store.consortia()["kansai"] == "関西"
    _assert_clean(store)


def test_the_desk_the_apps_use(store):
    desk = store.desk(K)
    desk.save(Plan("kansai", 2025, [Line(2, "in_person", 1, 7, f"説明会{RLO}2025")]), base_revision=None)
    assert store.current("kansai", 2025).plan.lines[0].title == "説明会2025"
    _assert_clean(store)


def test_a_workbook_is_told_and_stored_without_them(demo):
    store, _ = demo
    data = edit(plan_workbook(store, "kansai", 2025), {"H4": f"関西{RLO}会明説", "I4": f"{ZWSP}大阪"})
    read = read_workbook(data)
    warned = [f for f in read.findings if f.code == "INVISIBLE_CHARACTERS"]
    assert [f.row for f in warned] == [4, 4] and not any(f.is_error for f in read.findings)
    assert "U+202E" in warned[0].message_ja and "removed" in warned[0].message_en
    out = import_workbook(store.desk(K), data)
    assert out.ok and "INVISIBLE_CHARACTERS" in [f.code for f in out.findings]
    line = store.current("kansai", 2025).plan.lines[0]
    assert (line.title, line.place) == ("関西会明説", "大阪")
    _assert_clean(store)


def test_the_cli_says_what_it_removed(tmp_path, demo_db):
    from test_cli import run

    r = run("users", "add", "jetro-sato", "--role", "officer", "--display-name", f"JETRO{RLO} 佐藤", db=demo_db)
    assert r.returncode == 0 and "U+202E" in r.stdout and "取り除きました" in r.stdout
    store = planner.open_store(demo_db)
    assert store.display_name("jetro-sato") == "JETRO 佐藤"
    store.close()
    xlsx = tmp_path / "k.xlsx"
    store = planner.open_store(demo_db)
    xlsx.write_bytes(edit(plan_workbook(store, "kansai", 2025), {"H4": f"題{RLO}名"}))
    store.close()
    r = run("import", str(xlsx), "--as", K, "--format", "json", db=demo_db)
    assert r.returncode == 0, r.stderr
    assert "INVISIBLE_CHARACTERS" in [f["code"] for f in json.loads(r.stdout)]
    with sqlite3.connect(demo_db) as db:
        assert not any(RLO in c for (c,) in db.execute("SELECT content FROM revisions"))


def test_the_apps_say_what_was_removed(store):
    from planner.app.secretariat.app import SecretariatModel

    m = SecretariatModel(store.desk(K), store.fiscal_year(2025))
    m.set_plan(Plan("kansai", 2025, [Line(2, "in_person", 1, 7, f"説明会{RLO}")]))
    assert m.actions.save()
    assert "U+202E" in m.actions.note.ja and "U+202E" in m.actions.note.en
    assert store.current("kansai", 2025).plan.lines[0].title == "説明会"


def test_the_cleaning_migration_step_cleans_existing_rows(tmp_path):
    from planner.store import schema

    db = tmp_path / "old.db"
    store = planner.open_store(db)
    store.add_consortium("kansai", "関西")
    store.add_user(K, "secretariat", "kansai")
    store.save(Plan("kansai", 2025, list(KANSAI_LINES[:2])), by=K, base_revision=None)
    store.close()
    with sqlite3.connect(db) as conn:  # rows written before the store removed them
        doc = json.loads(conn.execute("SELECT content FROM revisions").fetchone()[0])
        doc["lines"][0]["title"] = f"説明会{RLO}逆"
        conn.execute("UPDATE revisions SET content = ?, comment = ?", (json.dumps(doc, ensure_ascii=False), RLO))
        conn.execute("UPDATE users SET display_name = ?", (f"事務局{BOM}",))
        conn.execute("UPDATE plans SET comment = ?", (f"{ZWSP}返却",))
        schema.without_invisible_characters(conn)
    store = planner.open_store(db)
    assert store.current("kansai", 2025).plan.lines[0].title == "説明会逆"
    assert store.current("kansai", 2025).comment == "返却" and store.display_name(K) == "事務局"
    _assert_clean(store)
    store.close()


def test_a_store_refuses_nothing_it_would_have_kept():
    # removal, not refusal: a text with only invisible characters is an empty text, not an error
    assert limits.visible(RLO + ZWSP) == ""
    assert limits.plan_problems(Plan("kansai", 2025, [Line(title=RLO * 999)])) == []


@pytest.mark.parametrize("ch", [RLO, "\u202a", "\u202b", "\u202d", LRI, "\u2067", "\u2068", "\u2069", "\u061c",
                                "\u200e", "\u200f", ZWSP, BOM])
def test_each_named_character_is_removed(ch):
    assert limits.visible(f"a{ch}b") == "ab"


def test_the_review_app_says_what_it_removed_from_a_comment_and_a_result(demo):
    from test_review_models import SEED_EVENT, review

    store, _ = demo
    m = review(demo, "officer")
    m.open_plan("hokuriku")
    m.decision.comment = f"{RLO}秋に移してください"
    assert m.decision.ask("return") and m.decision.confirm()
    assert any("U+202E" in ja and "U+202E" in en for ja, en in m.decision.note.details)
    assert store.current("hokuriku", 2025).comment == "秋に移してください"

    store.db.execute("DELETE FROM results")
    store.db.commit()
    c = review(demo, "contractor", "fy=2024")
    assert c.open_plan("tohoku") and c.result_form.enabled
    for f, v in {**SEED_EVENT, "venue": f"仙台{RLO}ホール", "notes": f"{ZWSP}メモ"}.items():
        setattr(c.result_form, f, v)
    assert c.result_form.record(), c.result_form.findings
    assert any("U+202E" in ja and "U+200B" in en for ja, en in c.result_form.note.details)
    [got] = store.results("tohoku", 2024, by="officer")
    assert (got.venue, got.notes) == ("仙台ホール", "メモ")
    _assert_clean(store)
