"""Browser tests: Playwright driving Debian's Chromium against a live server.

Locally they skip when /usr/bin/chromium is missing; with CI=true they must run.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class SerialLiveServer(WSGIServer):
    """The live server answers one request at a time. On SQLite the test database lives
    in memory, as one connection shared by the test and the server, and SQLite refuses
    concurrent use of one connection (a page's images and scripts load in parallel)."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


LiveServerThread.server_class = SerialLiveServer


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required on CI and was not found at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by
    # the test itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


# A visual record of each run: key pages of the journeys at a phone's and a laptop's width.
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS_DIR", ROOT / "var" / "screenshots"))
WIDTHS = (390, 1366)


def screenshot(page, name: str) -> None:
    """Save the page as var/screenshots/<name>-390.png and <name>-1366.png (full page),
    then return to the laptop width."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


AXE = Path(os.environ.get("AXE_PATH", ROOT / ".ci" / "vendor" / "axe-core" / "axe.min.js"))
# What axe checks: WCAG 2.1 levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core is required on CI and was not found at {AXE}")
        pytest.skip(f"axe-core not at {AXE} (python .ci/fetch_axe.py)")
    return AXE.read_text()


def axe_serious(page, axe_source: str) -> list[str]:
    """Run axe-core on the page; its serious and critical violations, one line each."""
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert result["passes"], "axe-core ran no check on the page"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + ", ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def log_in(page, username: str, landing: str = "/admin/") -> None:
    """Log a factory-made staff user in through the admin's login page and wait for
    `landing`, where the login sends them."""
    from tests.factories import STAFF_PASSWORD

    page.goto(f"/admin/login/?next={landing}")
    page.fill("#id_username", username)
    page.fill("#id_password", STAFF_PASSWORD)
    page.get_by_role("button").last.click()
    page.wait_for_url(f"**{landing}")
