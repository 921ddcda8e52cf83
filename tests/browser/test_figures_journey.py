"""The secretariat sees the map and charts on the meeting page, opens them in full and
filters the map; nothing the browser loads comes from anywhere but the app."""

from decimal import Decimal
from urllib.parse import urlsplit

from playwright.sync_api import expect

from issues.models import Issue
from tests.browser.conftest import ARTIFACTS, log_in
from tests.documents.conftest import decided_issue
from tests.factories import PASSWORD


def test_secretariat_filters_the_map_without_leaving_the_app(
    page, meeting, desk_bina_marga, desk_sda, secretariat
):
    decided_issue(
        desk_sda,
        "pangkalpinang",
        title="Pengendalian banjir DAS Rangkui",
        rank=1,
        decision=Issue.Decision.PRIORITY,
        latitude=Decimal("-2.1300"),
        longitude=Decimal("106.1100"),
    )
    decided_issue(
        desk_bina_marga,
        "belitung",
        title="Jembatan Sungai Cerucuk",
        rank=1,
        decision=Issue.Decision.RESERVE,
        reason="Menunggu DED.",
        latitude=Decimal("-2.7500"),
        longitude=Decimal("107.7000"),
    )
    # No coordinates: drawn near Sungailiat, the capital of Kabupaten Bangka.
    decided_issue(desk_bina_marga, "bangka", title="Drainase Jalan Sungailiat", rank=2)
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    log_in(page, secretariat.username, PASSWORD)
    page.goto(f"/rapat/{meeting.slug}/")
    summary = page.locator(".figures-summary")
    expect(summary.locator("svg.figure-svg").first).to_be_visible()
    expect(summary.locator(".marker")).to_have_count(3)
    ARTIFACTS.mkdir(exist_ok=True)
    summary.screenshot(path=str(ARTIFACTS / "figures-meeting-page.png"))

    page.goto(f"/rapat/{meeting.slug}/peta-grafik/")
    figure = page.locator(".figure-map")
    expect(figure.locator(".marker")).to_have_count(3)
    expect(figure.locator(".marker-approximate")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "figures-page.png"), full_page=True)

    page.locator("select[name=decision]").select_option(Issue.Decision.PRIORITY)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    expect(figure.locator(".marker")).to_have_count(1)
    page.locator("select[name=decision]").select_option("")
    page.locator("select[name=region]").select_option("bangka")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    expect(figure.locator(".marker-approximate")).to_have_count(1)
    expect(figure.locator(".marker")).to_have_count(1)

    # A marker opens its issue.
    figure.locator("a").first.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text("Drainase Jalan Sungailiat")

    hosts = {urlsplit(url).hostname for url in requests if not url.startswith("data:")}
    assert hosts == {"localhost"} or hosts <= {"127.0.0.1", "localhost"}, hosts
    assert requests
