"""In a real browser (Debian's Chromium driven by Playwright): search, filter, follow a quote."""

from io import StringIO

from django.core.management import call_command
from django.db import connections
from django.utils import translation


def test_search_filter_and_open_a_quote_in_its_article(screenshots, browser, site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/")
    page.fill("#q", "chuyen doi so")
    page.press("#q", "Enter")
    page.wait_for_selector(".result")
    assert page.locator(".summary").inner_text().startswith("5 bài viết")
    assert page.locator(".result mark").count() > 0
    page.screenshot(path=str(screenshots / "search-desktop.png"), full_page=True)

    page.click(".facets a:has-text('2022')")
    page.wait_for_selector(".summary:has-text('3 bài viết')")
    page.click(".facets a:has-text('Phạm Minh Chính')")
    page.wait_for_selector(".summary:has-text('2 bài viết')")

    page.goto(f"{site}/search/?q=truyen+thong+phai+di+dau&type=quote")
    page.click(".result blockquote a")
    page.wait_for_load_state()
    target = page.locator("q.quote:target")
    assert target.count() == 1
    assert target.inner_text().startswith("Truyền thông phải đi đầu")
    background = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(255, 229, 138)"  # the :target highlight
    page.screenshot(path=str(screenshots / "article-quote-desktop.png"))

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{site}/search/?q=d%E1%BB%AF+li%E1%BB%87u")
    phone.screenshot(path=str(screenshots / "search-phone.png"), full_page=True)


def test_editor_changes_a_quote_speaker_and_the_public_page_follows(screenshots, browser, site):
    from django.contrib.auth.models import User

    from articles.models import Quote

    User.objects.create_superuser("chief-editor", password="a-long-and-private-password")
    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    article = quote.occurrences.first().article

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/admin/")
    page.fill("#id_username", "chief-editor")
    page.fill("#id_password", "a-long-and-private-password")
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")

    page.goto(f"{site}/admin/articles/quote/{quote.pk}/change/")
    page.click("#select2-id_person-container")
    page.fill(".select2-search__field", "Nguyễn Mạnh")
    page.click(".select2-results__option:has-text('Nguyễn Mạnh Hùng')")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")

    page.goto(f"{site}{article.get_absolute_url()}#quote-{quote.pk}")
    speaker = page.locator(f"#quote-{quote.pk} ~ a.speaker").first
    assert speaker.inner_text() == "Nguyễn Mạnh Hùng"
    page.screenshot(path=str(screenshots / "article-after-edit-desktop.png"))


def test_speaker_page_language_switch_and_screenshots(screenshots, browser, site):
    from articles.models import Article, Event, Person

    person = Person.objects.get(name="Phạm Minh Chính")
    event = Event.objects.get(date__year=2022, kind="year_end_review")
    article = Article.objects.get(file_name__startswith="001")
    with translation.override("vi"):  # the Vietnamese pages' addresses, whatever an earlier test left active
        pages = {
            "home": "/",
            "year": "/years/2022/",
            "event": event.get_absolute_url(),
            "speaker": person.get_absolute_url(),
            "article": article.get_absolute_url(),
            "search": "/search/?q=chuyen+doi+so&type=quote",
        }
    for width, label in ((1280, "desktop"), (390, "phone")):
        page = browser.new_page(viewport={"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(f"{site}{url}")
            page.screenshot(path=str(screenshots / f"{name}-{label}.png"), full_page=True)
        page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}{person.get_absolute_url()}")
    assert page.locator("h1").inner_text() == "Phạm Minh Chính"
    assert page.locator("svg[role=img]").count() == 1
    page.fill("#q", "truyen thong")
    page.press("#q", "Enter")
    page.wait_for_selector(".result")
    assert all(name == "Phạm Minh Chính" for name in page.locator(".result .meta a:first-child").all_inner_texts())

    page.goto(f"{site}/")
    assert page.locator("h2#events-h").inner_text() == "Sự kiện mới nhất"
    page.click("nav.language a[hreflang=en]")
    page.wait_for_selector("h2#events-h:has-text('Latest events')")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == f"{site}/en/"  # English has its own address, to share
    page.goto(f"{site}/people/{person.slug}/")  # a Vietnamese link stays Vietnamese
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto(f"{site}/en/")
    page.keyboard.press("Tab")  # keyboard users reach the skip link first
    assert page.evaluate("document.activeElement.className") == "skip"


XSS_TEXT = "\n".join(
    [
        """Bộ trưởng chia sẻ về an toàn thông tin <img src=x onerror="alert('tiêu đề')">""",
        "(HNMO) - Sáng 12-1, Bộ Thông tin và Truyền thông tổ chức tổng kết năm 2020 và triển khai nhiệm vụ"
        " năm 2021 tại Hà Nội.",
        "Phát biểu tại hội nghị, Bộ trưởng Nguyễn Mạnh Hùng cho biết an toàn thông tin là ưu tiên"
        " <script>alert('thân bài')</script> hàng đầu của ngành trong năm tới.",
        """“Chúng ta phải bảo vệ người dùng <b onmouseover="alert('trích dẫn')">khỏi mã độc</b> và lừa đảo"""
        """ trên mạng trong mọi hoàn cảnh”, Bộ trưởng Nguyễn Mạnh Hùng nhấn mạnh.""",
    ]
)


def test_stored_markup_never_executes(browser, transactional_db, live_server, tmp_path):
    source = tmp_path / "xss.txt"
    source.write_text(XSS_TEXT, encoding="utf-8")
    call_command("ingest", str(source), stdout=StringIO(), stderr=StringIO())
    from articles.models import Article, Person

    article = Article.objects.get()
    assert "<script>" in article.body  # stored as written: escaping is the pages' job
    person = Person.objects.get(name="Nguyễn Mạnh Hùng")
    dialogs = []
    page = browser.new_page()
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for url in (
        article.get_absolute_url(),
        "/search/?q=an+toan+thong+tin",
        "/search/?q=ma+doc&type=quote",
        person.get_absolute_url(),
        article.event.get_absolute_url(),
        "/",
    ):
        page.goto(f"{live_server.url}{url}")
        page.mouse.move(300, 300)
        for element in page.locator("mark, q, blockquote a").all()[:10]:
            element.hover()
    page.goto(f"{live_server.url}{article.get_absolute_url()}")
    assert "<script>alert('thân bài')</script>" in page.locator(".article-body").inner_text()
    assert dialogs == []
    connections.close_all()


def test_speaker_page_a_year_and_a_page_at_a_time(screenshots, browser, site, monkeypatch):
    import datetime as dt

    from articles.models import Person

    monkeypatch.setattr("articles.views.PER_PAGE", 1)  # the live server runs in this process
    moved = Person.objects.get(slug="nguyen-xuan-phuc").quotes.order_by("pk").last()
    moved.date = dt.date(2020, 6, 1)  # his quotes now span two years
    moved.save()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{site}/people/nguyen-xuan-phuc/")
    assert page.locator("section h3").all_inner_texts() == ["2020"]  # newest first
    assert page.locator(".pagination").inner_text().count("Trang 1 /") == 1
    page.click(".pagination a[rel=next]")
    page.wait_for_url("**/people/nguyen-xuan-phuc/?page=2")
    assert "Trang 2 /" in page.locator(".pagination").inner_text()

    page.click("nav.year-filter a:has-text('2019')")  # back to page 1, of 2019 only
    page.wait_for_url("**/people/nguyen-xuan-phuc/?year=2019")
    assert page.locator("nav.year-filter a[aria-current=page]").inner_text().startswith("2019")
    assert page.locator("section h3").all_inner_texts() == ["2019"]
    page.screenshot(path=str(screenshots / "speaker-year-desktop.png"), full_page=True)


def test_the_api_documentation_lists_every_operation(browser, transactional_db, live_server):
    import json
    from urllib.request import urlopen

    with urlopen(f"{live_server.url}/api/v1/openapi.json") as response:
        schema = json.load(response)
    operations = sum(len(methods) for methods in schema["paths"].values())
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".opblock")
    assert page.locator("text=Parser error").count() == 0  # e.g. a duplicated mapping key
    assert page.locator(".opblock").count() == operations
    connections.close_all()


def test_syllables_read_as_words_with_the_scattered_matches_one_click_away(screenshots, browser, site):
    """`chinh phu dien tu` lists the articles with the word; those with the four syllables apart are
    counted in a notice that leads to them, and back."""
    for width, label in ((1280, "desktop"), (390, "phone")):
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(f"{site}/search/?q=chinh+phu+dien+tu")
        assert page.locator(".summary").inner_text().startswith("2 bài viết")
        assert "Các âm tiết gõ liền nhau được tìm như một từ." in page.locator(".help").inner_text()
        notice = page.locator(".notice:has-text('không đứng liền nhau')")
        assert "thêm 3 kết quả" in notice.inner_text()
        page.screenshot(path=str(screenshots / f"search-words-{label}.png"), full_page=True)

        notice.locator("a").click()
        page.wait_for_url("**apart=1")
        assert page.locator(".summary").inner_text().startswith("5 bài viết")
        back = page.locator(".notice:has-text('đứng liền nhau')")
        assert "2 kết quả có chúng đứng liền nhau" in back.inner_text()
        page.screenshot(path=str(screenshots / f"search-apart-{label}.png"), full_page=True)
        back.locator("a").click()
        page.wait_for_url("**/search/?q=chinh+phu+dien+tu")
        assert page.locator(".summary").inner_text().startswith("2 bài viết")

    page.goto(f"{site}/search/?q=so+lieu")  # nowhere side by side: straight to the syllables anywhere
    assert page.url.endswith("apart=1")
    assert "Không kết quả nào có các âm tiết này đứng liền nhau" in page.locator(".notice").first.inner_text()
