"""The editors' admin in a real browser (Debian's Chromium driven by Playwright): Vietnamese slugs typed
into a form are folded as the loader folds them, and the quote list reads at 1280 px."""

import pytest

PASSWORD = "a-long-and-private-password"


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


def test_the_quote_list_reads_at_1280_px(screenshots, admin_page, site):
    from articles.models import Quote

    assert Quote.objects.count() > 20  # enough rows for the page's height to mean something
    for url, name in (
        ("/admin/articles/quote/", "admin-quotes-desktop.png"),
        ("/admin/articles/quotetoreview/", "admin-queue-desktop.png"),
    ):
        admin_page.goto(f"{site}{url}")
        admin_page.screenshot(path=str(screenshots / name), full_page=True)
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
        # Every column in view: no sideways scrolling of the list at 1280 px.
        overflow = admin_page.evaluate(
            "() => { const box = document.querySelector('.results'); return box.scrollWidth - box.clientWidth; }"
        )
        assert overflow <= 1, f"{url}: the list scrolls sideways by {overflow} px"

    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    admin_page.goto(f"{site}/admin/articles/quote/{quote.pk}/change/")
    admin_page.screenshot(path=str(screenshots / "admin-quote-change-desktop.png"), full_page=True)
    assert admin_page.locator("h1").inner_text() == "Thay đổi trích dẫn"
