"""A view-only staff account can read the admin and its history, and change nothing.

Every editorial action and the history's revert form are posted by a user who holds only the
archive's view permissions; the records must be as they were. An editor (the "Editors" group)
still can, so the permission, not the action, is what stops the first.
"""

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article, Event, Person, Quote

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("ingest", str(SEEDS), stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def viewer(client):
    user = User.objects.create_user("viewer", password="a-long-viewer-password", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="articles", codename__startswith="view_")
    )
    client.force_login(user)
    return client


@pytest.fixture
def editor(client):
    user = User.objects.create_user("editor", password="a-long-editor-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def changelist(model):
    return reverse(f"admin:articles_{model._meta.model_name}_changelist")


def test_a_viewer_cannot_merge_people(viewer, seeded):
    survivor, other = Person.objects.order_by("pk")[:2]
    response = viewer.post(
        changelist(Person),
        {"action": "merge_people", "_selected_action": [survivor.pk, other.pk], "apply": "1", "survivor": survivor.pk},
    )
    assert response.status_code in (200, 302, 403)
    assert Person.objects.filter(pk=other.pk).exists()


def test_a_viewer_cannot_merge_events(viewer, seeded):
    keep, drop = Event.objects.order_by("date")[:2]
    viewer.post(
        changelist(Event),
        {"action": "merge_events", "_selected_action": [keep.pk, drop.pk], "apply": "1", "survivor": keep.pk},
    )
    assert Event.objects.filter(pk=drop.pk).exists()


def test_a_viewer_cannot_move_an_article_to_another_event(viewer, seeded):
    article = Article.objects.filter(event__isnull=False).order_by("pk").first()
    other = Event.objects.exclude(pk=article.event_id).first()
    viewer.post(
        changelist(Article),
        {"action": "move_to_event", "_selected_action": [article.pk], "apply": "1", "event": other.pk},
    )
    article.refresh_from_db()
    assert article.event_id != other.pk


def test_a_viewer_cannot_mark_quotes_reviewed_or_reattribute_them(viewer, seeded):
    quote = Quote.objects.exclude(review_status="reviewed").order_by("pk").first()
    other = Person.objects.exclude(pk=quote.person_id).first()
    viewer.post(changelist(Quote), {"action": "mark_reviewed", "_selected_action": [quote.pk]})
    viewer.post(
        changelist(Quote),
        {"action": "reattribute", "_selected_action": [quote.pk], "apply": "1", "person": other.pk},
    )
    quote.refresh_from_db()
    assert quote.review_status != "reviewed"
    assert quote.person_id != other.pk


def test_the_actions_are_not_offered_to_a_viewer(viewer, seeded):
    page = viewer.get(changelist(Person)).content.decode()
    assert "merge_people" not in page


def test_a_viewer_can_read_history_but_not_revert_it(viewer, seeded):
    article = Article.objects.order_by("pk").first()
    original = article.title
    article.title = "Tiêu đề đã sửa"
    article.save()
    first_version = article.history.order_by("history_id").first()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first_version.history_id])

    assert viewer.get(url).status_code == 200
    response = viewer.post(url, {"title": original})

    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "Tiêu đề đã sửa"


def test_an_editor_still_marks_quotes_reviewed(editor, seeded):
    quote = Quote.objects.exclude(review_status="reviewed").order_by("pk").first()
    editor.post(changelist(Quote), {"action": "mark_reviewed", "_selected_action": [quote.pk]})
    quote.refresh_from_db()
    assert quote.review_status == "reviewed"
