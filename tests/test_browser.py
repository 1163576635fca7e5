"""One real-browser walk through the site: Debian's Chromium driven by Playwright.

Never run ``playwright install``: the browser is the system's /usr/bin/chromium
(``apt-get install chromium``).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import SCRIPT
from werkzeug.serving import make_server

from web.state import EXTENSION

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Longest wait for one page or element; the tiny site answers in milliseconds.
TIMEOUT_MS = 15_000


@pytest.fixture
def live_server(app):
    """The app on a real HTTP server on a free local port, for as long as the test runs."""
    server = make_server("127.0.0.1", 0, app, threaded=False)

    def serve() -> None:
        try:
            server.serve_forever()
        finally:
            app.extensions[EXTENSION].close()  # this thread's searcher

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        message = "install Debian chromium: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; {message}")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def test_search_click_through_and_markup_stays_text(live_server, browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server + "/")
    box = page.get_by_label("Search news articles")
    expect(box).to_be_focused()
    box.fill("flood")
    page.get_by_role("button", name="Search").click()

    page.wait_for_url("**/search?q=flood")
    expect(page.get_by_role("status")).to_contain_text("2 results")
    expect(page.locator(".snippet mark").first).to_be_visible()
    page.get_by_role("link", name="River floods the old town").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("River floods the old town")
    expect(page.locator(".body")).to_contain_text("Volunteers filled sandbags")
    page.get_by_role("link", name="Back to results").click()

    page.wait_for_url("**/search?q=flood")
    page.locator(".hit-title a").nth(1).click()
    expect(page.locator(".body")).to_contain_text(SCRIPT)  # shown as text, not run
    assert page.locator(".body script, .body img").count() == 0
    assert dialogs == []
