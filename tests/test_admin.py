"""The editors' admin: every page loads, editorial actions work end to end, history, permissions."""

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from articles.extraction.normalize import fold
from articles.models import Article, Event, Person, Quote
from articles.search import SearchParams, search

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


def form_data(response, **changes) -> dict:
    """What the admin change form would post back unchanged, plus `changes`."""
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value is not None}
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        data.update({management[name].html_name: management[name].value() for name in management.fields})
        for inline_form in formset.forms:
            data.update(
                {
                    inline_form[name].html_name: inline_form[name].value()
                    for name in inline_form.fields
                    if inline_form[name].value() is not None
                }
            )
    data.update(changes)
    return data


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_changelist_add_and_change_pages_load_for_every_model(admin_client, rf, admin_user, seeded):
    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200, model
        if model_admin.has_add_permission(request):  # axes' login records are read-only
            assert admin_client.get(admin_url(model, "add")).status_code == 200, model
        obj = model_admin.get_queryset(request).first()
        if obj is not None:
            assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model
            if hasattr(model, "history"):
                history = admin_client.get(admin_url(model, "history", obj.pk), follow=True)
                assert history.status_code == 200, model


def test_work_queue_and_filters(admin_client, seeded):
    queue = admin_client.get(reverse("admin:articles_quotetoreview_changelist"))
    assert queue.status_code == 200
    assert Quote.objects.count() > 0
    for query in ("?date_unknown=1", "?year=2022", "?review_status=machine", "?q=dữ+liệu"):
        assert admin_client.get(admin_url(Quote, "changelist") + query).status_code == 200


def test_quote_filters_list_rules_speakers_and_years_and_narrow_the_list(admin_client, seeded):
    changelist = admin_url(Quote, "changelist")
    page = admin_client.get(changelist)
    choices = {
        spec.title: [c["display"] for c in spec.choices(page.context["cl"])] for spec in page.context["cl"].filter_specs
    }
    assert set(choices["quy tắc trích xuất"][1:]) == set(Quote.objects.values_list("method", flat=True))
    assert "Phạm Minh Chính" in choices["người phát biểu"]
    assert "2022" in choices["năm"]
    person = Person.objects.get(name="Phạm Minh Chính")
    method = person.quotes.values_list("method", flat=True).first()
    narrowed = admin_client.get(f"{changelist}?person={person.pk}&method={method}")
    shown = list(narrowed.context["cl"].result_list)
    assert shown
    assert shown == list(Quote.objects.filter(person=person, method=method).order_by("pk"))


def test_merge_people_moves_everything_and_redirects(admin_client, seeded):
    survivor = Person.objects.get(name="Nguyễn Mạnh Hùng")
    duplicate = Person.objects.create(name="Nguyễn Mạnh Hùng (TT&TT)", slug="nguyen-manh-hung-tttt")
    moved = Quote.objects.filter(person=survivor).first()
    moved.person = duplicate
    moved.save()

    response = admin_client.post(
        admin_url(Person, "changelist"),
        {
            "action": "merge_people",
            "_selected_action": [survivor.pk, duplicate.pk],
            "apply": "1",
            "survivor": survivor.pk,
        },
    )

    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    moved.refresh_from_db()
    assert moved.person == survivor
    assert "person" in moved.edited_fields
    assert "Nguyễn Mạnh Hùng (TT&TT)" in Person.objects.get(pk=survivor.pk).aliases
    old_url = admin_client.get("/people/nguyen-manh-hung-tttt/")
    assert old_url.status_code == 301
    assert old_url["Location"] == survivor.get_absolute_url()
    assert moved.history.first().history_user is not None  # who did it is on record


def test_reattributed_quote_survives_reingest_and_search_follows(admin_client, seeded, tmp_path):
    quote = Quote.objects.get(text__startswith="Truyền thông phải đi đầu")
    new_speaker = Person.objects.get(name="Nguyễn Mạnh Hùng")
    page = admin_client.get(admin_url(Quote, "change", quote.pk))
    response = admin_client.post(admin_url(Quote, "change", quote.pk), form_data(page, person=new_speaker.pk))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    quote.refresh_from_db()
    assert quote.person == new_speaker
    assert {"person", "role"} <= set(quote.edited_fields)
    article = quote.occurrences.first().article
    page = admin_client.get(article.get_absolute_url()).content.decode()
    assert f'href="{new_speaker.get_absolute_url()}"' in page

    changed = tmp_path / article.file_name
    shutil.copy(SEEDS / article.file_name, changed)
    changed.write_text(changed.read_text() + "\nMột câu bổ sung để bài viết thay đổi.\n", encoding="utf-8")
    call_command("ingest", str(changed), "--replace", stdout=StringIO(), stderr=StringIO())  # a corrected copy
    quote.refresh_from_db()
    assert quote.person == new_speaker
    # What derives from the speaker follows the editor's choice, never the machine's old one.
    assert quote.role is None or quote.role.person == new_speaker
    assert quote.speech is None or quote.speech.person == new_speaker
    page = admin_client.get(f"/quotes/{quote.pk}/", follow=True).content.decode()
    assert new_speaker.name in page


def test_corrected_title_is_found_by_the_next_search_and_can_be_reverted(admin_client, seeded):
    article = Article.objects.get(file_name__startswith="003")
    old_title = article.title
    page = admin_client.get(admin_url(Article, "change", article.pk))
    data = form_data(page, title="Tập huấn phóng viên kỳ lân")
    assert admin_client.post(admin_url(Article, "change", article.pk), data).status_code == 302

    results = search(SearchParams(q='"phong vien ky lan"'))
    assert [a.pk for a in results.page] == [article.pk]
    article.refresh_from_db()
    assert "title" in article.edited_fields

    before = article.history.order_by("history_date")[0]
    revert_url = reverse("admin:articles_article_simple_history", args=[article.pk, before.history_id])
    assert admin_client.post(revert_url, form_data(admin_client.get(revert_url))).status_code == 302
    article.refresh_from_db()
    assert article.title == old_title


def test_move_article_to_another_event_and_split(admin_client, seeded):
    article = Article.objects.get(file_name__startswith="001")
    target = Event.objects.get(date__year=2019)
    admin_client.post(
        admin_url(Article, "changelist"),
        {"action": "move_to_event", "_selected_action": [article.pk], "apply": "1", "event": target.pk},
    )
    article.refresh_from_db()
    assert article.event == target
    assert article.speeches.filter(event=target).exists()

    admin_client.post(
        admin_url(Article, "changelist"),
        {"action": "move_to_event", "_selected_action": [article.pk], "apply": "1", "new_event_name": "Sự kiện tách"},
    )
    article.refresh_from_db()
    assert article.event.name == "Sự kiện tách"


def speaker_filter(slug: str) -> list[str]:
    results = search(SearchParams(q="chuyển đổi số", speakers=[slug]))
    return sorted(article.file_name[:3] for article in results.page)


def test_speaker_filter_follows_editors_changes(admin_client, seeded):
    """The speaker filter reads a list the database keeps (migration 0013): merges, moved speeches and
    unlinked articles show at once, and saving an article loaded earlier cannot bring back a stale list."""
    for article in Article.objects.all():
        spoke = sorted(set(article.speeches.values_list("person_id", flat=True)))
        assert article.speaker_ids == spoke, article.file_name
    assert speaker_filter("vu-duc-dam") == ["002"]
    survivor = Person.objects.get(slug="nguyen-manh-hung")
    dam = Person.objects.get(slug="vu-duc-dam")

    response = admin_client.post(
        admin_url(Person, "changelist"),
        {"action": "merge_people", "_selected_action": [survivor.pk, dam.pk], "apply": "1", "survivor": survivor.pk},
    )

    assert response.status_code == 302
    assert "002" in speaker_filter("nguyen-manh-hung")
    assert speaker_filter("vu-duc-dam") == []
    article = Article.objects.get(file_name__startswith="002")
    stale = Article.objects.get(pk=article.pk)
    for speech in article.speeches.filter(person=survivor):
        speech.articles.remove(article)
    assert "002" not in speaker_filter("nguyen-manh-hung")
    stale.title = "Tiêu đề do biên tập viên sửa"
    stale.save()  # its speaker_ids still name Nguyễn Mạnh Hùng
    assert "002" not in speaker_filter("nguyen-manh-hung")
    assert survivor.pk not in Article.objects.get(pk=article.pk).speaker_ids


def test_merge_events_and_reingest_does_not_recreate_them(admin_client, seeded):
    keep, drop = Event.objects.filter(date__year__in=[2021, 2019]).order_by("date")
    admin_client.post(
        admin_url(Event, "changelist"),
        {"action": "merge_events", "_selected_action": [keep.pk, drop.pk], "apply": "1", "survivor": keep.pk},
    )
    assert not Event.objects.filter(pk=drop.pk).exists()
    count = Event.objects.count()
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())
    assert Event.objects.count() == count


def test_mark_reviewed(admin_client, seeded):
    ids = list(Quote.objects.values_list("pk", flat=True)[:2])
    admin_client.post(admin_url(Quote, "changelist"), {"action": "mark_reviewed", "_selected_action": ids})
    assert set(Quote.objects.filter(pk__in=ids).values_list("review_status", flat=True)) == {"reviewed"}


def test_editors_may_change_the_archive_but_not_users(client, seeded):
    editor = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    quote = Quote.objects.first()
    assert client.get(admin_url(Quote, "change", quote.pk)).status_code == 200
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_a_flushed_database_still_has_the_editors_group():
    call_command("flush", "--noinput", stdout=StringIO())
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="change_article").exists()
    assert not editors.permissions.filter(content_type__app_label="auth").exists()


def test_login_is_throttled(client):
    User.objects.create_superuser("chief", password="the-right-password-123")
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "chief", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "chief", "password": "the-right-password-123"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_search_box_finds_words_without_diacritics_file_names_and_speakers(admin_client, seeded):
    articles, quotes = admin_url(Article, "changelist"), admin_url(Quote, "changelist")

    def found(url, term):
        response = admin_client.get(url, {"q": term})
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    article = Article.objects.exclude(title="").order_by("pk").first()
    title_word = max(re.findall(r"\w+", article.title), key=len)  # the longest syllable: likely distinctive
    unaccented = fold(title_word)
    assert article in found(articles, unaccented)
    for match in found(articles, unaccented):
        assert unaccented in fold(f"{match.title} {match.lede} {match.speakers_text} {match.body}")
    assert found(articles, article.file_name) == {article}
    assert found(articles, f'"{title_word}" -{title_word}') == set()
    person = Person.objects.get(name="Phạm Minh Chính")
    assert found(quotes, "Phạm Minh Chính") >= set(person.quotes.all())
    quote = person.quotes.order_by("pk").first()
    word = max(re.findall(r"\w+", quote.text), key=len)
    assert quote in found(quotes, word)
    # Nothing to search for in the words: Django's own search, no error.
    assert admin_client.get(articles, {"q": "!!!"}).status_code == 200


def test_a_guessed_speaker_waits_in_the_review_queue_and_is_never_shown(admin_client, client, tmp_path):
    # No rule can give this quote to anyone: the sentence before it names no speaker of it.
    (tmp_path / "guess.txt").write_text(
        "Lò Văn Tám nói về mùa vụ năm nay\n"
        "Ông Lò Văn Tám cho biết nông dân trong xã đã gieo sạ xong từ tuần trước.\n"
        "Trên cánh đồng, nước vẫn ngập sâu sau nhiều ngày mưa lớn.\n"
        "“Lúa gieo vừa lên chưa đầy gang tay thì bị ngập úng, gia đình tôi mất trắng cả vụ này.”\n",
        encoding="utf-8",
    )
    call_command("ingest", str(tmp_path), stdout=StringIO(), stderr=StringIO())
    quote = Quote.objects.get(text__startswith="Lúa gieo vừa lên")
    assert quote.person is None
    assert quote.suggested_speaker == "Lò Văn Tám"

    queue = admin_client.get(reverse("admin:articles_quotetoreview_changelist"))
    assert "Lò Văn Tám" in queue.content.decode()
    speaker_page = client.get(reverse("articles:person", args=[Person.objects.get(name="Lò Văn Tám").slug]))
    assert speaker_page.status_code == 200
    assert "Lúa gieo vừa lên" not in speaker_page.content.decode()  # not among his quotes


def test_a_vietnamese_slug_typed_or_left_empty_is_folded_on_the_server(admin_client):
    from articles.models import Source

    add_person = admin_url(Person, "add")

    def add(url, **changes):
        return admin_client.post(url, form_data(admin_client.get(url), **changes))

    # Typed or pasted with its marks (the browser's URLify was bypassed): folded, not refused.
    response = add(add_person, name="Nguyễn Mạnh Hùng", slug="nguyễn-mạnh-hùng")
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Person.objects.get(name="Nguyễn Mạnh Hùng").slug == "nguyen-manh-hung"
    # Left empty: made from the name, as the loader makes it.
    assert add(add_person, name="Đỗ Thị Ánh Tuyết", slug="").status_code == 302
    assert Person.objects.get(name="Đỗ Thị Ánh Tuyết").slug == "do-thi-anh-tuyet"
    assert add(admin_url(Source, "add"), name="Đài Tiếng nói Việt Nam", slug="").status_code == 302
    assert Source.objects.get(name="Đài Tiếng nói Việt Nam").slug == "dai-tieng-noi-viet-nam"
    event = add(admin_url(Event, "add"), name="Hội nghị tổng kết", slug="Hội nghị tổng kết 2022")
    assert event.status_code == 302, event.context["adminform"].form.errors
    assert Event.objects.get(name="Hội nghị tổng kết").slug == "hoi-nghi-tong-ket-2022"

    # A slug another person holds is still refused as Django refuses it, on the slug field.
    response = add(add_person, name="Nguyễn Mạnh Hùng", slug="Nguyễn Mạnh Hùng")
    assert response.status_code == 200
    assert [error.code for error in response.context["adminform"].form.errors.as_data()["slug"]] == ["unique"]
    assert Person.objects.filter(name="Nguyễn Mạnh Hùng").count() == 1
    # An editor's change keeps a folded slug as it is and folds a new one.
    person = Person.objects.get(slug="do-thi-anh-tuyet")
    change = admin_url(Person, "change", person.pk)
    assert admin_client.post(change, form_data(admin_client.get(change), slug="đỗ-ánh-tuyết")).status_code == 302
    person.refresh_from_db()
    assert person.slug == "do-anh-tuyet"


def test_an_editor_adds_events_by_hand_one_after_another(admin_client, seeded):
    for name in ("Họp báo Chính phủ thường kỳ tháng 3", "Họp báo Chính phủ thường kỳ tháng 4"):
        response = admin_client.post(
            admin_url(Event, "add"),
            {
                "name": name,
                "slug": "",
                "kind": Event._meta.get_field("kind").choices[0][0],
                "date": "2023-03-31",
                "place": "Hà Nội",
                "organiser": "Văn phòng Chính phủ",
                "articles-TOTAL_FORMS": "0",
                "articles-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    added = Event.objects.filter(name__startswith="Họp báo Chính phủ thường kỳ")
    assert added.count() == 2
    assert len({event.key for event in added}) == 2
