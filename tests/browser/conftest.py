"""Browser journeys: Playwright driving Debian's Chromium against a live server.

Playwright cannot download its own browsers here, so it drives
/usr/bin/chromium (CHROMIUM_PATH to override). Without Chromium every journey
is skipped with a message that says so; `.ci/run` installs it, so CI always
runs them.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 800}}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(
                    pytest.mark.skip(
                        reason=f"Chromium not found at {CHROMIUM}: browser journey skipped"
                    )
                )


def pytest_report_header(config):
    if HAVE_CHROMIUM:
        return f"browser journeys: Chromium at {CHROMIUM}"
    return f"browser journeys: SKIPPED, no Chromium at {CHROMIUM} (apt-get install chromium)"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _page(browser, request, live_server, options):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    yield page
    if getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    # A Content-Security-Policy violation or a script error fails the journey.
    assert not errors, errors


@pytest.fixture
def page(browser, request, live_server):
    yield from _page(browser, request, live_server, LAPTOP)


@pytest.fixture
def phone_page(browser, request, live_server):
    yield from _page(browser, request, live_server, PHONE)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def log_in(page, username, password):
    page.goto("/akun/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
