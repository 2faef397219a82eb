"""The editors' admin in a real browser (Debian's Chromium driven by Playwright): Vietnamese slugs typed
into a form are folded as the loader folds them, and the quote list reads at 1280 px."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections

CHROMIUM = Path("/usr/bin/chromium")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Where tests/test_browser.py writes its screenshots (git-ignored unless ARCHIVE_SCREENSHOTS says otherwise).
SCREENSHOTS = Path(
    os.environ.get("ARCHIVE_SCREENSHOTS") or Path(__file__).resolve().parent.parent / "var" / "screenshots"
)
SCREENSHOTS.mkdir(parents=True, exist_ok=True)
PASSWORD = "a-long-and-private-password"

# Playwright's sync API runs an event loop in this thread; Django's guard against
# database access from async code would otherwise refuse the test's own queries.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `python3 run.py test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def site(transactional_db, live_server):
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    yield live_server.url
    connections.close_all()  # the test's own connection, opened in Playwright's context


@pytest.fixture
def admin_page(browser, site):
    """A 1280 × 800 page signed in to the admin as a superuser."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("chief-editor", password=PASSWORD)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site}/admin/")
    page.fill("#id_username", "chief-editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")
    return page


def test_typing_a_vietnamese_name_fills_a_folded_slug(admin_page, site):
    errors = []
    admin_page.on("pageerror", lambda error: errors.append(str(error)))
    admin_page.goto(f"{site}/admin/articles/person/add/")
    admin_page.locator("#id_name").press_sequentially("Nguyễn Mạnh Hùng")
    assert admin_page.input_value("#id_slug") == "nguyen-manh-hung"

    admin_page.goto(f"{site}/admin/articles/source/add/")
    admin_page.locator("#id_name").press_sequentially("Đài Tiếng nói Việt Nam")
    assert admin_page.input_value("#id_slug") == "dai-tieng-noi-viet-nam"
    assert errors == []


def test_the_quote_list_reads_at_1280_px(admin_page, site):
    from articles.models import Quote

    assert Quote.objects.count() > 20  # enough rows for the page's height to mean something
    for url, name in (
        ("/admin/articles/quote/", "admin-quotes-desktop.png"),
        ("/admin/articles/quotetoreview/", "admin-queue-desktop.png"),
    ):
        admin_page.goto(f"{site}{url}")
        admin_page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
        height = admin_page.evaluate("document.documentElement.scrollHeight")
        assert height < 2500, f"{url}: {height} px tall"
        widths = admin_page.locator("#result_list tbody .field-short_text").evaluate_all(
            "cells => cells.map(cell => cell.getBoundingClientRect().width)"
        )
        assert widths, url
        assert min(widths) > 250, f"{url}: quote cells {min(widths)} px wide"
        # Read at a glance: the quote's start, at most two lines of it.
        lines = admin_page.locator("#result_list tbody .field-short_text .quote-text").evaluate_all(
            "spans => spans.map(s => s.getBoundingClientRect().height / parseFloat(getComputedStyle(s).lineHeight))"
        )
        assert lines, url
        assert max(lines) <= 2.1, f"{url}: {max(lines)} lines"

    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    admin_page.goto(f"{site}/admin/articles/quote/{quote.pk}/change/")
    admin_page.screenshot(path=str(SCREENSHOTS / "admin-quote-change-desktop.png"), full_page=True)
    assert admin_page.locator("h1").inner_text() == "Thay đổi trích dẫn"
