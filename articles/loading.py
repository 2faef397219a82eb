"""Extracted articles → database rows, one transaction per article.

Upserts on stable keys (article: file name; person: slug of the full name;
event: kind + date + organiser; quote: hash of the normalised text), so a
re-ingest changes nothing that did not change. Fields listed in a record's
`edited_fields` belong to the editors and are never overwritten here.
"""

import difflib
import hashlib
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from articles.extraction import ExtractedArticle
from articles.extraction.normalize import fold, match_key
from articles.models import Article, Event, Person, Quote, QuoteOccurrence, Role, Source, Speech

NEAR_DUPLICATE_RATIO = 0.9
_ABBREVIATIONS = {"tt&tt": "thong tin va truyen thong", "kh&cn": "khoa hoc va cong nghe"}


class DuplicateContent(ValueError):
    """Another file with identical content is already in the archive."""


@dataclass(frozen=True)
class LoadResult:
    status: str  # created | updated | unchanged
    article: Article


def slug_for(text: str, *, max_length: int = 200) -> str:
    return slugify(fold(text))[:max_length].strip("-") or "x"


def _organisation_key(organisation: str) -> str:
    key = fold(organisation)
    for short, long in _ABBREVIATIONS.items():
        key = key.replace(short, long)
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")


def _set_unless_edited(record, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if name in record.edited_fields or getattr(record, name) == value:
            continue
        setattr(record, name, value)
        changed = True
    return changed


def _source(name: str | None) -> Source | None:
    if not name:
        return None
    source, _ = Source.objects.get_or_create(slug=slug_for(name), defaults={"name": name})
    return source


def _event(extracted: ExtractedArticle) -> Event | None:
    info = extracted.event
    if info is None:
        return None
    date = extracted.date
    key = (
        f"{info.kind}:{date.isoformat()}:{_organisation_key(info.organiser)}"
        if date
        else f"article:{extracted.file_name}"
    )
    values = {
        "name": info.name,
        "kind": info.kind,
        "date": date,
        "place": info.place,
        "organiser": info.organiser,
        "reviews_year": info.reviews_year,
    }
    event = Event.objects.filter(key=key).first()
    if event is None:
        slug = slug_for(f"{info.name} {date.isoformat() if date else extracted.file_name}", max_length=180)
        if Event.objects.filter(slug=slug).exists():
            slug = f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
        return Event.objects.create(key=key, slug=slug, **values)
    # A second article about the same event may know more (a place): fill gaps only.
    fill = {name: value for name, value in values.items() if value and not getattr(event, name)}
    if _set_unless_edited(event, fill):
        event.save()
    return event


def _person(name: str) -> Person:
    person, created = Person.objects.get_or_create(slug=slug_for(name), defaults={"name": name})
    if not created and name != person.name and name not in person.aliases:
        person.aliases = [*person.aliases, name]
        person.save(update_fields=["aliases"])
    return person


def _role(person: Person, title: str, organisation: str, date) -> Role | None:
    if not title:
        return None
    role, _ = Role.objects.get_or_create(person=person, title=title, organisation=organisation)
    if date:
        first = min(filter(None, [role.first_seen, date]))
        last = max(filter(None, [role.last_seen, date]))
        if (first, last) != (role.first_seen, role.last_seen):
            role.first_seen, role.last_seen = first, last
            role.save(update_fields=["first_seen", "last_seen"])
    return role


def _quote_for(text: str, values: dict) -> Quote:
    key = hashlib.sha256(match_key(text).encode()).hexdigest()
    quote = Quote.objects.filter(key=key).first()
    if quote is None and values.get("person") is not None:
        # Near-identical wording by the same speaker at the same event: one quote.
        wording = match_key(text)
        for candidate in Quote.objects.filter(person=values["person"], event=values.get("event")):
            if difflib.SequenceMatcher(None, match_key(candidate.text), wording).ratio() >= NEAR_DUPLICATE_RATIO:
                quote = candidate
                break
    if quote is None:
        return Quote.objects.create(key=key, text=text, **values)
    updates = dict(values)
    if values.get("person") is None:
        # An article that cannot tell who spoke does not erase who did.
        updates = {name: value for name, value in values.items() if name not in {"person", "role", "speech"}}
    if _set_unless_edited(quote, updates):
        quote.save()
    return quote


@transaction.atomic
def load_article(extracted: ExtractedArticle) -> LoadResult:
    """Create or update the article from `extracted`, with its event, people and quotes."""
    article = Article.objects.select_for_update().filter(file_name=extracted.file_name).first()
    if article is not None and article.content_hash == extracted.content_hash:
        return LoadResult("unchanged", article)
    twin = Article.objects.filter(content_hash=extracted.content_hash).exclude(file_name=extracted.file_name).first()
    if twin is not None:
        raise DuplicateContent(f"same content as {twin.file_name}, already in the archive")

    event = _event(extracted)
    values = {
        "content_hash": extracted.content_hash,
        "raw_text": extracted.raw_text,
        "title": extracted.title[:500],
        "title_derived": extracted.title_derived,
        "lede": extracted.lede,
        "body": extracted.body,
        "date": extracted.date,
        "date_evidence": extracted.date_evidence[:300],
        "language": extracted.language,
        "source": _source(extracted.source),
        "event": event,
    }
    if article is None:
        article = Article.objects.create(file_name=extracted.file_name, **values)
        status = "created"
    else:
        _set_unless_edited(article, values)
        article.save()
        status = "updated"
    event = article.event  # an editor may have moved the article to another event

    roles: dict[str, Role | None] = {}
    people: dict[str, Person] = {}
    # Everyone named with a title gets the role on record (attendees included:
    # the archive learns who held which office when); only speakers get speeches.
    for name, role in extracted.roles.items():
        people[name] = _person(name)
        roles[name] = _role(people[name], role.title, role.organisation, article.date)
    for speaker in extracted.speakers:
        if speaker.name not in people:
            people[speaker.name] = _person(speaker.name)
            roles[speaker.name] = None
    speeches: dict[str, Speech] = {}
    if event is not None:
        for speaker in extracted.speakers:
            name, person = speaker.name, people[speaker.name]
            speech, _ = Speech.objects.get_or_create(person=person, event=event, defaults={"role": roles[name]})
            speech.articles.add(article)
            speeches[name] = speech

    previous_quotes = set(article.quote_occurrences.values_list("quote_id", flat=True))
    article.quote_occurrences.all().delete()
    occurrences = []
    for found in extracted.quotes:
        person = people.get(found.speaker) if found.speaker else None
        if found.speaker and person is None:
            person = people[found.speaker] = _person(found.speaker)
        values = {
            "person": person,
            "role": roles.get(found.speaker) if found.speaker else None,
            "event": event,
            "speech": speeches.get(found.speaker) if found.speaker else None,
            "direct": found.direct,
            "method": found.method,
            "confidence": found.confidence,
        }
        quote = _quote_for(found.text, values)
        occurrences.append(
            QuoteOccurrence(
                quote=quote,
                article=article,
                start=found.start,
                end=found.end,
                text=article.body[found.start : found.end],
            )
        )
    QuoteOccurrence.objects.bulk_create(occurrences, ignore_conflicts=True)
    # Quotes this article alone carried and no longer does: gone, unless an editor touched them.
    Quote.objects.filter(pk__in=previous_quotes, occurrences__isnull=True, edited_fields=[]).delete()
    return LoadResult(status, article)
