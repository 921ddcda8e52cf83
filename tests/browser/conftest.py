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

# axe-core (package.json, installed by `npm ci`; a test tool, never served) checks every
# page a journey visits, at phone and at desktop width: no serious or critical violation.
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_IMPACTS = ("serious", "critical")
AXE_SUMMARY = """
window.__rakortekAxeSummary = (violations) => violations
  .filter((v) => v.impact === "serious" || v.impact === "critical")
  .map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ") + ": " + n.html.slice(0, 160)),
  }));
"""
# Bounded: a check that does not finish in 30 s is reported, never waited for forever.
AXE_NOW = """
async () => {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 30000));
  const run = window.axe.run(document, {resultTypes: ["violations"], iframes: false});
  const result = await Promise.race([run, timeout]);
  if (result === null) {
    const help = "axe-core did not finish in 30 s";
    return [{id: "axe-timeout", impact: "serious", help: help, nodes: []}];
  }
  return window.__rakortekAxeSummary(result.violations);
}
"""


def _axe_source():
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    return AXE.read_text() + "\n" + AXE_SUMMARY


class AxeCheck:
    """Collects the serious and critical axe-core violations of a journey's pages.

    The journey's pages are remembered as they load; when it ends, each is opened again
    (GET, same account) and checked at the journey's own width and at the other one.
    Checking then, not while the journey runs, sees each page settled (no request in
    flight) and leaves nothing running in a context that is about to close.
    """

    def __init__(self, context, page, viewport):
        self.context = context
        self.viewport = viewport
        self.visited = []
        self.found = []
        page.on("load", lambda p: self._visit(p.url))

    def _visit(self, url):
        if url.startswith("http") and url not in self.visited:
            self.visited.append(url)

    def _keep(self, url, width, violations):
        for v in violations:
            self.found.append(f"{v['impact']} {v['id']} at {width}px on {url}: {v['help']}")
            self.found.extend(f"    {node}" for node in v["nodes"])

    def finish(self):
        """Check each visited page at both widths."""
        other = LAPTOP["viewport"] if self.viewport == PHONE["viewport"] else PHONE["viewport"]
        shadow = self.context.new_page()
        shadow.add_init_script(script=_axe_source())
        for url in self.visited:
            for size in (self.viewport, other):
                shadow.set_viewport_size(size)
                try:
                    response = shadow.goto(url)
                except Exception:  # a download, or a page gone with the journey's data
                    continue
                content_type = response.headers.get("content-type", "") if response else ""
                if not response or not response.ok or "text/html" not in content_type:
                    break
                shadow.wait_for_load_state("load")
                self._keep(url, size["width"], shadow.evaluate(AXE_NOW))
        shadow.close()
        return self.found


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
    axe = AxeCheck(context, page, options["viewport"])
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
    # Leave the journey's last page first, so that nothing on it (a polling live board, a
    # request in flight) runs on while its pages are checked and its context closes.
    page.goto("about:blank")
    accessibility = axe.finish()
    context.close()
    # A Content-Security-Policy violation or a script error fails the journey.
    assert not errors, errors
    assert not accessibility, "axe-core:\n" + "\n".join(accessibility)


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
