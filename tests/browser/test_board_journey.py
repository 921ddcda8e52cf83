"""The head of Bina Marga opens each issue's editors in its row, scores two issues (saved
without a reload), applies the proposed order, drags the lower-scored issue to the top
and records why, then decides both issues."""

from playwright.sync_api import expect

from issues import services
from issues.models import Issue
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, IssueFactory, region
from tests.issues.board.helpers import default_criteria


def verified(desk, actor, **fields):
    issue = services.issue_submit(actor=actor, issue=IssueFactory(desk=desk, **fields))
    return services.issue_verify(actor=actor, issue=issue)


def open_editors(page, issue):
    """The row's button loads the issue's editors into the row, without leaving the board."""
    page.locator(f"#isu-{issue.pk} a[href$='/papan/isu/{issue.pk}/']").click()
    panel = page.locator(f"#isu-{issue.pk} .board-panel")
    expect(panel.locator(".board-editor")).to_be_visible()
    return panel


def score_in_panel(page, issue, criteria, value):
    panel = open_editors(page, issue)
    form = panel.locator("form.board-score-form")
    for criterion in criteria:
        form.locator(f"select[name=c{criterion.pk}]").select_option(str(value))
    form.locator("button[type=submit]").click()


def test_chair_scores_ranks_by_dragging_and_decides(
    page, secretariat, kabid_bina_marga, desk_bina_marga
):
    criteria = default_criteria(desk_bina_marga.meeting)
    road = verified(
        desk_bina_marga, secretariat, title="Pelebaran Jalan Koba - Sungaibuluh", priority_order=1
    )
    bridge = verified(
        desk_bina_marga,
        secretariat,
        region=region("bangka"),
        title="Jembatan Sungai Layang retak",
        priority_order=1,
        authority=Issue.Authority.PROVINCE,
    )

    log_in(page, kabid_bina_marga.username, PASSWORD)
    page.locator(f"a[href='/desk/{desk_bina_marga.pk}/papan/']").first.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text(desk_bina_marga.field.name)

    # Scores are saved with htmx: the page is not reloaded, the row shows the total.
    page.evaluate("window.stillTheSamePage = true")
    score_in_panel(page, road, criteria, 5)
    expect(page.locator(f"#isu-{road.pk} .board-score")).to_have_text("100,00")
    score_in_panel(page, bridge, criteria, 3)
    expect(page.locator(f"#isu-{bridge.pk} .board-score")).to_have_text("50,00")
    assert page.evaluate("window.stillTheSamePage") is True
    road.refresh_from_db()
    assert road.status == Issue.Status.DISCUSSED

    # The proposed order follows the scores.
    page.locator(".board-actions button[type=submit]").click()
    page.wait_for_load_state()
    ranked = page.locator("[data-board-sortable] > li")
    expect(ranked).to_have_count(2)
    expect(ranked.nth(0)).to_have_id(f"isu-{road.pk}")

    # Drag the bridge above the road: against the scores, so the reason is asked for.
    handle = page.locator(f"#isu-{bridge.pk} .board-drag-handle")
    target = page.locator(f"#isu-{road.pk}").bounding_box()
    start = handle.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 5, target["y"] + 20, steps=15)
    page.mouse.move(start["x"] + 5, target["y"] + 5, steps=10)
    page.mouse.up()
    page.wait_for_url(f"**/papan/peringkat/{bridge.pk}/")
    expect(page.locator("input[name=position]")).to_have_value("1")
    expect(page.locator("textarea[name=reason]")).to_have_attribute("aria-invalid", "true")
    page.locator("textarea[name=reason]").fill("Jembatan satu-satunya akses ke pelabuhan.")
    page.locator("form.board-form button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.locator("[data-board-sortable] > li").nth(0)).to_have_id(f"isu-{bridge.pk}")
    expect(page.locator(f"#isu-{bridge.pk} .board-against")).to_contain_text(
        "Jembatan satu-satunya akses ke pelabuhan."
    )
    bridge.refresh_from_db()
    road.refresh_from_db()
    assert (bridge.rank, road.rank) == (1, 2)

    # Decide: a reserve needs a reason; the form says so and keeps the choice.
    form = open_editors(page, road).locator("form.board-decision-form")
    form.locator("input[name=decision][value=cadangan]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("textarea[name=reason]")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=decision][value=cadangan]")).to_be_checked()
    page.locator("textarea[name=reason]").fill("Menunggu DED selesai tahun depan.")
    page.locator("form.board-decision-form button[type=submit]").click()
    page.wait_for_load_state()

    form = open_editors(page, bridge).locator("form.board-decision-form")
    form.locator("input[name=decision][value=prioritas]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()

    expect(page.locator(f"#isu-{bridge.pk} .issue-status-prioritas")).to_be_visible()
    expect(page.locator(f"#isu-{road.pk} .issue-status-cadangan")).to_be_visible()
    bridge.refresh_from_db()
    road.refresh_from_db()
    assert (bridge.status, road.status) == (Issue.Status.PRIORITY, Issue.Status.RESERVE)
    assert road.decision_reason == "Menunggu DED selesai tahun depan."


def test_chair_scores_and_moves_an_issue_on_a_phone(
    phone_page, secretariat, kabid_bina_marga, desk_bina_marga
):
    page = phone_page
    criteria = default_criteria(desk_bina_marga.meeting)
    first = verified(desk_bina_marga, secretariat, title="Jalan lingkar Toboali")
    second = verified(desk_bina_marga, secretariat, title="Jembatan Air Anyir")
    log_in(page, kabid_bina_marga.username, PASSWORD)
    page.goto(f"/desk/{desk_bina_marga.pk}/papan/")

    score_in_panel(page, second, criteria, 4)
    expect(page.locator(f"#isu-{second.pk} .board-score")).to_have_text("75,00")
    page.locator(".board-actions button[type=submit]").click()
    page.wait_for_load_state()
    expect(page.locator("[data-board-sortable] > li").nth(0)).to_have_id(f"isu-{second.pk}")

    # The arrow needs no reason: the unscored issue has no score to go against.
    page.locator(f"#isu-{first.pk} button[formaction$='/peringkat/{first.pk}/']").click()
    page.wait_for_load_state()
    expect(page.locator("[data-board-sortable] > li").nth(0)).to_have_id(f"isu-{first.pk}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
