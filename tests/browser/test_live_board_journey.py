"""The live board on a phone follows the desk without being reloaded: the chair moves an
issue up on the desk board, then merges two regions' duplicates into one joint issue,
and the live board shows the new order and the joint issue's regions within seconds."""

from playwright.sync_api import expect

from issues.models import Issue
from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from tests.issues.board.test_duplicates import submitted_issue

FLOOD = "Pengendalian banjir DAS Rangkui di pusat Kota Pangkalpinang"


def live_order(page):
    return page.locator("#live-rows tr.live-row").evaluate_all(
        "rows => rows.map(row => Number(row.dataset.issue))"
    )


def test_live_board_follows_the_chair_without_a_reload(
    page, phone_page, kabid_sda, observer, desk_sda
):
    flood = submitted_issue(
        desk_sda,
        "pangkalpinang",
        title=FLOOD,
        status=Issue.Status.VERIFIED,
        place="Sungai Rangkui hilir",
    )
    irrigation = submitted_issue(
        desk_sda,
        "bangka-selatan",
        title="Rehabilitasi jaringan irigasi Daerah Irigasi Rias",
        problem="Saluran irigasi bocor dan pintu air rusak.",
        proposed_handling="Rehabilitasi saluran dan pintu air.",
        district="Toboali",
        village="Rias",
        place="Daerah Irigasi Rias",
        status=Issue.Status.VERIFIED,
    )
    upstream = submitted_issue(
        desk_sda,
        "bangka-tengah",
        title=FLOOD + " bagian hulu",
        status=Issue.Status.VERIFIED,
        district="Pangkalan Baru",
        village="Air Mesu",
        place="Sungai Rangkui hulu",
    )
    for rank, issue in enumerate((flood, irrigation, upstream), start=1):
        Issue.objects.filter(pk=issue.pk).update(rank=rank)

    # The projector (here a phone) shows the ranking.
    live = phone_page
    log_in(live, observer.username, PASSWORD)
    live.goto(f"/desk/{desk_sda.pk}/layar/")
    expect(live.locator("h1")).to_contain_text(desk_sda.field.name)
    assert live_order(live) == [flood.pk, irrigation.pk, upstream.pk]
    live.evaluate("window.neverReloaded = true")
    assert live.evaluate("document.documentElement.scrollWidth") <= 390

    # The chair moves the upstream issue up one place on the desk board.
    log_in(page, kabid_sda.username, PASSWORD)
    page.goto(f"/desk/{desk_sda.pk}/papan/")
    page.locator(f"#isu-{upstream.pk} button[name=position][value='2']").click()
    page.wait_for_load_state()
    expect(page.locator(f"#isu-{upstream.pk} .board-rank")).to_have_text("2")

    expect(live.locator("#live-rows tr.live-row").nth(1)).to_have_attribute(
        "data-issue", str(upstream.pk), timeout=10_000
    )
    assert live_order(live) == [flood.pk, upstream.pk, irrigation.pk]

    # From the board to the likely duplicates, and the two Rangkui issues merged.
    page.locator(f"a[href='/desk/{desk_sda.pk}/duplikat/']").click()
    page.wait_for_load_state()
    page.locator(".duplicate-pair a.btn", has_text="…").first.click()
    page.wait_for_load_state()
    form = page.locator("form.merge-form")
    expect(form.locator(f"input[name=issues][value='{flood.pk}']")).to_be_checked()
    expect(form.locator(f"input[name=issues][value='{upstream.pk}']")).to_be_checked()
    form.locator("textarea[name=reason]").fill("Satu DAS Rangkui, ditangani bersama.")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    joint = Issue.objects.get(merged_issues=flood)
    expect(page.locator("header .issue-code")).to_have_text(joint.code)
    expect(page.locator(".merge-banner")).to_contain_text("Kabupaten Bangka Tengah")

    # The live board shows the joint issue in the best place, with both regions.
    expect(live.locator("#live-rows tr.live-row").first).to_have_attribute(
        "data-issue", str(joint.pk), timeout=10_000
    )
    assert live_order(live) == [joint.pk, irrigation.pk]
    first_row = live.locator("#live-rows tr.live-row").first
    expect(first_row).to_contain_text("Kota Pangkalpinang")
    expect(first_row).to_contain_text("Kabupaten Bangka Tengah")
    assert live.evaluate("window.neverReloaded") is True
