"""The editors' admin in one language: Vietnamese by default, English when the editor picks it.

Every model, field, help text, column, filter and action of the archive has an English msgid and a
Vietnamese translation (articles/locale/vi/LC_MESSAGES/django.po)."""

import html
import re
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.translation import override
from simple_history.models import HistoricalChanges

from articles.models import Quote

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def archive_models():
    """The archive's own models (with the work-queue proxies), not the history tables django-simple-history
    derives from them, whose names and fields follow the originals'."""
    return [
        model
        for model in apps.get_app_config("articles").get_models()
        if not issubclass(model, HistoricalChanges) and not model._meta.auto_created
    ]


def in_both_languages(text) -> tuple[str, str]:
    with override("en"):
        english = str(text)
    with override("vi"):
        vietnamese = str(text)
    return english, vietnamese


def assert_translated(text, what: str) -> None:
    assert isinstance(text, Promise), f"{what}: {text!r} is not marked for translation"
    english, vietnamese = in_both_languages(text)
    assert english != vietnamese, f"{what}: {english!r} has no Vietnamese translation"


def page_text(response) -> str:
    """What the page shows: its text without tags, scripts or addresses."""
    page = re.sub(r"<script\b.*?</script>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(strip_tags(page)))


def english_names() -> set[str]:
    names = set()
    with override("en"):
        for model in archive_models():
            names |= {str(model._meta.verbose_name), str(model._meta.verbose_name_plural)}
    return names


# --- every name translated (no database) ------------------------------------------------------


def test_every_model_and_field_of_the_archive_has_a_vietnamese_name():
    assert_translated(apps.get_app_config("articles").verbose_name, "the app")
    models = archive_models()
    assert {"Quote", "QuoteToReview", "Person", "Article", "Event"} <= {model.__name__ for model in models}
    for model in models:
        assert_translated(model._meta.verbose_name, model.__name__)
        assert_translated(model._meta.verbose_name_plural, f"{model.__name__} (plural)")
        for field in [*model._meta.fields, *model._meta.many_to_many]:
            if field.auto_created:  # the automatic primary key: Django's "ID"
                continue
            assert_translated(field.verbose_name, f"{model.__name__}.{field.name}")
            if field.help_text:
                assert_translated(field.help_text, f"{model.__name__}.{field.name} help text")


def test_every_column_filter_and_action_of_the_archive_admin_has_a_vietnamese_name(rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    archive = [model_admin for model, model_admin in admin.site._registry.items() if model in archive_models()]
    assert len(archive) >= 10
    for model_admin in archive:
        where = type(model_admin).__name__
        for column in model_admin.get_list_display(request):
            method = getattr(model_admin, column, None)
            if callable(method):
                assert_translated(method.short_description, f"{where}.{column}")
        for list_filter in model_admin.list_filter:
            if isinstance(list_filter, type):
                assert_translated(list_filter.title, f"{where} filter {list_filter.__name__}")
        for name, (_func, _name, description) in model_admin.get_actions(request).items():
            if name != "delete_selected":  # Django's own, translated by Django
                assert_translated(description, f"{where} action {name}")
        if model_admin.search_help_text:
            assert_translated(model_admin.search_help_text, f"{where} search help")
    assert_translated(admin.site.site_header, "site header")
    assert_translated(admin.site.site_title, "site title")


# --- the pages -------------------------------------------------------------------------------


@pytest.fixture
def seeded(db):
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def test_the_quote_admin_reads_in_vietnamese_by_default(admin_client, seeded):
    changelist = admin_client.get(reverse("admin:articles_quote_changelist"))
    assert changelist.status_code == 200
    text = page_text(changelist)
    assert "Chọn trích dẫn để thay đổi" in text
    headers = [strip_tags(header["text"]) for header in changelist.context["result_headers"]]
    assert headers[1:] == [  # shown in capitals by the admin's style sheet
        "trích dẫn",
        "người phát biểu",
        "ngày",
        "trực tiếp",
        "quy tắc trích xuất",
        "độ tin cậy",
        "đã duyệt",
    ]
    for title in ("Theo trạng thái duyệt", "Theo quy tắc trích xuất", "Theo người phát biểu", "Theo năm"):
        assert title in text
    assert "Hàng chờ: trích dẫn cần duyệt" in page_text(admin_client.get(reverse("admin:index")))  # the models
    assert "Đánh dấu đã duyệt" in text  # an action
    left = {name for name in english_names() if re.search(rf"\b{re.escape(name)}\b", text, flags=re.I)}
    assert not left, f"English model names in the Vietnamese admin: {left}"

    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    change = admin_client.get(reverse("admin:articles_quote_change", args=[quote.pk]))
    text = page_text(change)
    assert "Thay đổi trích dẫn" in text
    for label in ("Lời trích dẫn:", "Người phát biểu:", "Chức vụ:", "Trạng thái duyệt:", "Độ tin cậy:"):
        assert label in text
    assert "Trong ngoặc kép (nếu không: lời thuật lại)." in text  # a help text
    left = {name for name in english_names() if re.search(rf"\b{re.escape(name)}\b", text, flags=re.I)}
    assert not left, f"English model names in the Vietnamese admin: {left}"

    queue = page_text(admin_client.get(reverse("admin:articles_quotetoreview_changelist")))
    assert "Chọn trích dẫn cần duyệt để thay đổi" in queue


def test_the_quote_admin_reads_in_english_when_chosen(admin_client, seeded):
    admin_client.cookies["django_language"] = "en"
    changelist = admin_client.get(reverse("admin:articles_quote_changelist"))
    text = page_text(changelist)
    assert "Select quote to change" in text
    headers = [strip_tags(header["text"]) for header in changelist.context["result_headers"]]
    assert headers[1:] == ["quote", "speaker", "date", "direct", "extraction rule", "confidence", "reviewed"]
    assert "By review status" in text
    assert "Work queue: quotes to review" in page_text(admin_client.get(reverse("admin:index")))
    assert "Mark as reviewed" in text
    assert "Words of the quote, or the speaker's name." in text
    assert "Government News Archive — editing" in text
    for vietnamese in ("Trích dẫn", "Người phát biểu", "Độ tin cậy", "Đánh dấu đã duyệt", "biên tập", "Lưu trữ"):
        assert vietnamese not in text

    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    text = page_text(admin_client.get(reverse("admin:articles_quote_change", args=[quote.pk])))
    assert "Change quote" in text
    for label in ("Text:", "Speaker:", "Role:", "Review status:", "Confidence:"):
        assert label in text
    assert "In quotation marks (else reported speech)." in text
    for vietnamese in ("Thay đổi", "Lời trích dẫn", "Trạng thái duyệt", "Trong ngoặc kép"):
        assert vietnamese not in text


def test_an_action_s_messages_follow_the_language(admin_client, seeded):
    ids = list(Quote.objects.filter(review_status="machine").order_by("pk").values_list("pk", flat=True)[:4])
    changelist = reverse("admin:articles_quote_changelist")
    post = {"action": "mark_reviewed", "_selected_action": ids[:2]}
    assert "Đã duyệt 2 trích dẫn." in page_text(admin_client.post(changelist, post, follow=True))
    admin_client.cookies["django_language"] = "en"
    post = {"action": "mark_reviewed", "_selected_action": ids[2:]}
    assert "Marked 2 quotes as reviewed." in page_text(admin_client.post(changelist, post, follow=True))

    merge = {"action": "merge_people", "_selected_action": ids[:1]}
    assert "Select at least two people to merge." in page_text(
        admin_client.post(reverse("admin:articles_person_changelist"), merge, follow=True)
    )
