"""「メール通知」 in both apps: a person sets their own choice (each, daily, none) through the desk; the
panel follows the app's language and says where mails go. Model tests, then the served apps in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import READY, Server, open_review, open_secretariat
from signin_support import signed_in

import planner
from planner.app.mail_choice import MailChoiceModel, MailChoiceView
from planner.desk import Desk
from planner.errors import SessionEnded

SHOTS = Path("/work/helpers/mail")


def test_a_person_sets_their_own_choice_through_the_desk(demo):
    store, keys = demo
    store.set_email("secretariat-kansai", "kansai@example.jp")
    request = signed_in(store, keys["secretariat-kansai"])
    desk = Desk.for_session(store, request.session)
    model = MailChoiceModel(desk)
    assert (model.choice, model.address) == ("each", "kansai@example.jp")
    view = MailChoiceView(model)
    view.render()
    assert model.choose("daily")
    assert store.mail_settings("secretariat-kansai") == ("kansai@example.jp", "daily")
    assert store.mail_settings("officer")[1] == "each"  # nobody else's
    assert not model.choose("weekly") and model.note.kind == "error" and "weekly" in model.note.en
    assert store.mail_settings("secretariat-kansai")[1] == "daily"
    model.lang = "en"
    assert "Sent to: kansai@example.jp" in view._where.value
    store.disable_user("secretariat-kansai")  # the session ends: the choice is refused and nothing changes
    with pytest.raises(SessionEnded):
        desk.set_notices("none")
    assert store.mail_settings("secretariat-kansai")[1] == "daily"


@pytest.fixture(scope="module")
def server(demo_db_module: Path):
    with planner.open_store(demo_db_module) as store:
        store.set_email("officer", "officer@example.jp")
    srv = Server(demo_db_module, demo_db_module.parent)
    yield srv
    srv.stop()


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".pl-mail-choice").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.mark.browser
def test_the_choice_in_the_served_secretariat_app(page, server, keys):
    open_secretariat(page, server, f"key={keys['secretariat-kansai']}")
    panel = page.locator(".pl-mail-choice")
    panel.get_by_text("メール通知").wait_for(timeout=READY)
    assert "送り先のメールアドレスが登録されていません" in panel.inner_text()
    panel.get_by_role("button", name="1日1回まとめ").click()
    panel.get_by_text("メール通知を「1日1回まとめ」にしました。").wait_for(timeout=READY)
    _shot(page, "secretariat-mail-choice")
    with planner.open_store(server.db) as store:
        assert store.mail_settings("secretariat-kansai")[1] == "daily"


@pytest.mark.browser
def test_the_choice_in_the_served_review_app(page, server, keys):
    open_review(page, server, f"key={keys['officer']}&lang=en")
    panel = page.locator(".pl-mail-choice")
    panel.get_by_text("Sent to: officer@example.jp").wait_for(timeout=READY)
    panel.get_by_role("button", name="None").click()
    panel.get_by_text('Mail notices set to "None".').wait_for(timeout=READY)
    _shot(page, "review-mail-choice-en")
    with planner.open_store(server.db) as store:
        assert store.mail_settings("officer") == ("officer@example.jp", "none")


def test_a_mails_link_opens_the_review_app_on_its_plan(demo):
    from planner.app.review import open_review

    store, keys = demo
    model = open_review(signed_in(store, keys["officer"], "fy=2025&consortium=tohoku"), store)
    assert model.section == "plan" and model.opened.record.plan.consortium == "tohoku"
    assert open_review(signed_in(store, keys["officer"], "fy=2025"), store).section == "overview"
    # a consortium the link should not name, or a plan the contractor may not see: the list, with why
    assert open_review(signed_in(store, keys["officer"], "fy=2025&consortium=nowhere"), store).section == "overview"
    contractor = open_review(signed_in(store, keys["contractor"], "fy=2025&consortium=tohoku"), store)
    assert contractor.section == "overview" and contractor.opened.record is None
