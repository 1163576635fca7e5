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


def serve(app):
    """The app on a real HTTP server on a free local port, for as long as the test runs."""
    server = make_server("127.0.0.1", 0, app, threaded=False)

    def run() -> None:
        try:
            server.serve_forever()
        finally:
            app.extensions[EXTENSION].close()  # this thread's searcher

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture
def live_server(app):
    yield from serve(app)


@pytest.fixture
def features_server(features_app):
    """Two outlets, authors, dates (tests/features_corpus.py)."""
    yield from serve(features_app)


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; each test opens its own tab or context."""
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


@pytest.fixture
def page(browser):
    """A tab that records console errors (a CSP violation is one) and page errors."""
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    assert not [e for e in errors if "Content Security Policy" in e], errors
    assert errors == []
    page.close()


def hit_sources(page) -> list[str]:
    return page.locator(".hit .meta .source").all_inner_texts()


def test_search_click_through_and_markup_stays_text(live_server, page):
    from playwright.sync_api import expect

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


def test_facet_click_filters_and_back_restores(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/search?sort=date")
    assert set(hit_sources(page)) == {"Courier", "Gazette"}
    filters = page.get_by_role("complementary", name="Filter results")
    filters.get_by_role("link", name="Gazette").click()

    page.wait_for_url("**/search?source=Gazette&sort=date")
    expect(page.get_by_role("link", name="Remove filter Source: Gazette")).to_be_visible()
    assert set(hit_sources(page)) == {"Gazette"}
    expect(filters.locator("a.active")).to_contain_text("Gazette")

    page.go_back()
    page.wait_for_url("**/search?sort=date")
    expect(page.locator(".chip")).to_have_count(0)
    assert set(hit_sources(page)) == {"Courier", "Gazette"}


def test_pagination_next_and_back(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/search?sort=date&per_page=1")
    first = page.locator(".hit-title").inner_text()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**/search?sort=date&page=2&per_page=1")
    expect(page.locator(".hit-title")).not_to_have_text(first)
    expect(page.locator(".pager [aria-current=page]")).to_have_text("Page 2")
    page.go_back()
    page.wait_for_url("**/search?sort=date&per_page=1")
    expect(page.locator(".hit-title")).to_have_text(first)


def test_suggestions_keyboard_pick_and_escape(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/")
    box = page.get_by_role("combobox", name="Search news articles")
    listbox = page.get_by_role("listbox")
    box.press_sequentially("har", delay=40)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_have_text("harbour")

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "q-suggestions-0")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("Enter")

    page.wait_for_url("**/search?q=harbour")
    expect(page.get_by_role("status")).to_contain_text("2 results")
    expect(page.locator(".hit-title").first).to_have_text("Harbour dredging to begin in September")

    box = page.get_by_role("combobox", name="Search news articles")
    box.fill("")
    box.press_sequentially("cou", delay=40)
    expect(page.get_by_role("listbox")).to_be_visible()
    box.press("Escape")
    expect(page.get_by_role("listbox")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("cou")


def test_suggestion_picked_with_the_mouse_and_shown_as_text(live_server, page):
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server + "/")
    page.get_by_role("combobox", name="Search news articles").press_sequentially("scri", delay=40)
    option = page.get_by_role("option").filter(has_text=SCRIPT)
    expect(option).to_have_count(1)  # a headline with markup, as text
    page.get_by_role("option", name="script", exact=True).click()
    page.wait_for_url("**/search?q=script")
    expect(page.get_by_role("status")).to_contain_text("result")
    assert dialogs == []


def test_filters_and_dates_work_without_javascript(features_server, browser):
    from playwright.sync_api import expect

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(features_server + "/search?q=court+OR+harbour")
    expect(page.locator("#q")).not_to_have_attribute("role", "combobox")  # a plain box
    page.get_by_label("From").fill("2024-01-01")
    page.get_by_label("To").fill("2024-12-31")
    page.get_by_role("button", name="Apply dates").click()
    page.wait_for_url("**/search?q=court+OR+harbour&from=2024-01-01&to=2024-12-31")
    expect(page.locator(".hit-title")).to_have_text(["Harbour dredging to begin in September"])

    page.get_by_label("Sort by").select_option("date_asc")
    page.get_by_role("button", name="Sort").click()
    page.wait_for_url("**sort=date_asc**")
    assert "from=2024-01-01" in page.url
    page.get_by_role("link", name="Remove filter Published in 2024").click()
    page.wait_for_url("**/search?q=court+OR+harbour&sort=date_asc")
    context.close()


def test_misspelt_query_shows_corrected_results_with_a_way_back(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/search?q=harbr&source=Gazette")
    note = page.locator(".correction.showing")
    expect(note).to_contain_text("Showing results for harbour")
    expect(page.locator(".hit-title").first).to_have_text("Harbour dredging to begin in September")
    note.get_by_role("link", name="harbr").click()
    page.wait_for_url("**/search?q=harbr&source=Gazette&spell=0")
    expect(page.locator(".correction")).to_contain_text("Did you mean harbour?")
    expect(page.locator(".hit")).to_have_count(0)


def test_missing_words_are_shown_and_can_be_required(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/search?q=harbour+fishermen")
    partial = page.locator(".hit").filter(has=page.locator(".missing"))
    expect(partial.first.locator(".missing")).to_contain_text("Missing: fishermen")
    full = page.locator(".hit").first
    expect(full.locator(".missing")).to_have_count(0)
    partial.first.locator(".missing").get_by_role("link", name="fishermen").click()
    page.wait_for_url("**/search?q=harbour+%2Bfishermen")
    expect(page.locator(".hit-title")).to_have_text(["Harbour dredging to begin in September"])


def test_a_new_query_keeps_the_filters_and_sort_until_cleared(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/search?q=court&source=Courier&sort=date")
    box = page.get_by_role("combobox", name="Search news articles")
    box.fill("election")
    box.press("Enter")
    page.wait_for_url("**/search?source=Courier&sort=date&q=election")
    expect(page.get_by_role("link", name="Remove filter Source: Courier")).to_be_visible()
    expect(page.get_by_label("Sort by")).to_have_value("date")
    page.get_by_role("link", name="Clear them").click()
    page.wait_for_url("**/search?q=election")
    expect(page.locator(".chip")).to_have_count(0)


def test_completions_name_reporters_and_a_headline_opens_its_article(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/")
    box = page.get_by_role("combobox", name="Search news articles")
    box.press_sequentially("owen pri", delay=40)
    expect(page.get_by_role("option").first).to_contain_text("Owen Pritchard")
    box.fill("")
    box.press_sequentially("harbour dre", delay=40)
    expect(page.get_by_role("option").first).to_have_text("harbour dredging")
    page.get_by_role("option").filter(has_text="Harbour dredging to begin in September").click()
    page.wait_for_url("**/article/*")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Harbour dredging to begin in September"
    )


def test_home_page_shows_what_the_index_holds(features_server, page):
    from playwright.sync_api import expect

    page.goto(features_server + "/")
    expect(page.locator(".holdings-line")).to_contain_text("5 articles from 2 outlets")
    expect(page.locator(".latest li")).to_have_count(4)
    page.get_by_role("link", name="Browse all, newest first").click()
    expect(page.get_by_role("status")).to_contain_text("newest first")
