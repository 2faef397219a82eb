"""Editors' corrections: merges, re-attribution, moves. Each is one transaction.

Every changed record is saved with `.save()` (not a bulk update) so that
django-simple-history records who changed what, and every field an editor
decided is added to the record's `edited_fields`, so a later ingest keeps it.
"""

import uuid

from django.db import transaction

from articles.models import Article, Event, Person, PersonRedirect, Quote, Role, Speech


def mark_edited(record, *fields: str) -> None:
    record.edited_fields = sorted(set(record.edited_fields) | set(fields))


def refresh_speakers_text(article: Article) -> None:
    """The article's speakers as search sees them, after its speeches changed."""
    names = ", ".join(article.speeches.order_by("person__name").values_list("person__name", flat=True).distinct())
    if names != article.speakers_text:
        article.speakers_text = names
        article.save(update_fields=["speakers_text", "updated_at"])


def role_on(person: Person, date) -> Role | None:
    """The role the archive saw `person` in around `date` (latest seen before it, else the first)."""
    roles = list(person.roles.order_by("first_seen"))
    if date:
        held = [r for r in roles if r.first_seen and r.first_seen <= date]
        if held:
            return held[-1]
    return roles[0] if roles else None


def _speech_for(person: Person, event: Event | None, articles) -> Speech | None:
    if event is None:
        return None
    speech, _ = Speech.objects.get_or_create(person=person, event=event)
    speech.articles.add(*articles)
    return speech


@transaction.atomic
def reattribute_quote(quote: Quote, person: Person | None) -> Quote:
    """Credit `quote` to `person` (None: unattributed), with their role at the time."""
    articles = list(Article.objects.filter(quote_occurrences__quote=quote).distinct())
    quote.person = person
    quote.role = role_on(person, quote.date) if person else None
    quote.speech = _speech_for(person, quote.event, articles) if person else None
    mark_edited(quote, "person", "role")
    quote.save()
    for article in articles:
        refresh_speakers_text(article)
    return quote


@transaction.atomic
def mark_reviewed(quotes) -> int:
    count = 0
    for quote in quotes:
        if quote.review_status != Quote.ReviewStatus.REVIEWED:
            quote.review_status = Quote.ReviewStatus.REVIEWED
            mark_edited(quote, "review_status")
            quote.save()
            count += 1
    return count


@transaction.atomic
def merge_people(survivor: Person, others) -> Person:
    """Fold `others` into `survivor`: roles, quotes, speeches, aliases; their URLs redirect."""
    for other in others:
        if other.pk == survivor.pk:
            continue
        for role in other.roles.all():
            twin = survivor.roles.filter(title=role.title, organisation=role.organisation).first()
            if twin is None:
                role.person = survivor
                role.save()
                continue
            seen = [d for d in (twin.first_seen, twin.last_seen, role.first_seen, role.last_seen) if d]
            if seen:
                twin.first_seen, twin.last_seen = min(seen), max(seen)
                twin.save()
            Quote.objects.filter(role=role).update(role=twin)
            Speech.objects.filter(role=role).update(role=twin)
            role.delete()
        for speech in other.speeches.all():
            twin = survivor.speeches.filter(event=speech.event).first()
            if twin is None:
                speech.person = survivor
                speech.save()
                continue
            twin.articles.add(*speech.articles.all())
            Quote.objects.filter(speech=speech).update(speech=twin)
            speech.delete()
        for quote in other.quotes.all():
            quote.person = survivor
            mark_edited(quote, "person")
            quote.save()
        survivor.aliases = sorted({*survivor.aliases, other.name, *other.aliases} - {survivor.name})
        PersonRedirect.objects.filter(person=other).update(person=survivor)
        PersonRedirect.objects.update_or_create(old_slug=other.slug, defaults={"person": survivor})
        other.delete()
    mark_edited(survivor, "aliases")
    survivor.save()
    for article in Article.objects.filter(speeches__person=survivor).distinct():
        refresh_speakers_text(article)
    return survivor


@transaction.atomic
def move_articles(articles, event: Event) -> None:
    """Put `articles` under `event`, with the speeches and quotes they carry."""
    for article in articles:
        old_event = article.event
        if old_event == event:
            continue
        article.event = event
        mark_edited(article, "event")
        article.save()
        for speech in article.speeches.filter(event=old_event) if old_event else []:
            speech.articles.remove(article)
            new_speech = _speech_for(speech.person, event, [article])
            for quote in speech.quotes.filter(occurrences__article=article).distinct():
                if not quote.occurrences.exclude(article=article).exists():
                    quote.event, quote.speech = event, new_speech
                    mark_edited(quote, "event")
                    quote.save()
            if not speech.articles.exists():
                speech.delete()


@transaction.atomic
def merge_events(survivor: Event, others) -> Event:
    """Fold `others` into `survivor`; ingest later finds their keys on the survivor."""
    for other in others:
        if other.pk == survivor.pk:
            continue
        move_articles(list(other.articles.all()), survivor)
        for speech in other.speeches.all():
            twin, _ = Speech.objects.get_or_create(person=speech.person, event=survivor)
            twin.articles.add(*speech.articles.all())
            speech.quotes.update(speech=twin)
            speech.delete()
        for quote in other.quotes.all():
            quote.event = survivor
            mark_edited(quote, "event")
            quote.save()
        survivor.merged_keys = sorted({*survivor.merged_keys, other.key, *other.merged_keys})
        other.delete()
    survivor.save()
    return survivor


@transaction.atomic
def split_event(articles, *, name: str) -> Event:
    """A new event for `articles`, taken out of the one they share."""
    template = articles[0].event
    event = Event.objects.create(
        name=name,
        slug=f"{template.slug[:150] if template else 'su-kien'}-{uuid.uuid4().hex[:8]}",
        kind=template.kind if template else Event.Kind.OTHER,
        date=template.date if template else articles[0].date,
        place=template.place if template else "",
        organiser=template.organiser if template else "",
        reviews_year=template.reviews_year if template else None,
        key=f"editor:{uuid.uuid4().hex}",
        edited_fields=["name"],
    )
    move_articles(articles, event)
    return event
