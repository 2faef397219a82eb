"""Extracted articles → database rows, in batches, each article whole or not at all.

Upserts on stable keys (article: file name; person: slug of the full name;
event: kind + date + organiser; quote: hash of the normalised text), so a
re-ingest changes nothing that did not change. Fields listed in a record's
`edited_fields` belong to the editors and are never overwritten here.

A batch is written with a fixed number of bulk queries whatever its size. If
the database refuses a batch, each article is retried in a transaction of its
own, so one bad article cannot take its neighbours down with it.
"""

import difflib
import functools
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from articles import overview
from articles.copying import copy_new, update_fields
from articles.extraction import ExtractedArticle
from articles.extraction.events import organisation_key
from articles.extraction.normalize import fold, match_key
from articles.models import Article, Event, Person, PersonRedirect, Quote, QuoteOccurrence, Role, Source, Speech

NEAR_DUPLICATE_RATIO = 0.9
# A quote carried inside another of the same speaker at the same event in another article (one outlet quotes a
# sentence, another reports it within a longer passage) is the same statement when at least this share of its
# words stand, in order, in the longer one, and it is long enough for that to mean something.
CARRIED_SHARE = 0.9
CARRIED_MIN_WORDS = 8
CHANGE_REASON = "ingest"  # how machine writes appear in the history editors see


class DuplicateContent(ValueError):
    """Another file with identical content is already in the archive."""


class OtherFileSameKey(ValueError):
    """Another file, stored earlier under the same key, would be replaced by this one."""


class StorageRefused(ValueError):
    """The database refused the article; nothing of it was stored."""


@dataclass(frozen=True)
class LoadResult:
    status: str  # created | updated | unchanged
    article: Article


@functools.lru_cache(maxsize=8192)  # the same names and sources come back in every batch
def slug_for(text: str, *, max_length: int = 200) -> str:
    return slugify(fold(text))[:max_length].strip("-") or "x"


@functools.lru_cache(maxsize=4096)  # a batch asks for the same quotes' keys several times
def quote_key(text: str) -> str:
    return hashlib.sha256(match_key(text).encode()).hexdigest()


def event_key(extracted: ExtractedArticle) -> str | None:
    info = extracted.event
    if info is None:
        return None
    if extracted.date is None:
        return f"article:{extracted.file_name}"
    return f"{info.kind}:{extracted.date.isoformat()}:{organisation_key(info.organiser)}"


def speaker_ids_of(extracted: ExtractedArticle, people: dict) -> list[int]:
    """The person ids of an article's speakers, as `Article.speaker_ids` holds them (sorted, distinct)."""
    return sorted({people[speaker.name].pk for speaker in extracted.speakers})


def insert_speeches(cursor, roles: dict[tuple[int, int], int | None]) -> None:
    """A speech for each (person id, event id) of `roles`, with its role id; existing speeches are kept.
    Inserted in key order, so two loaders meeting on the same speeches cannot deadlock."""
    cursor.execute(
        "INSERT INTO articles_speech (person_id, event_id, role_id) "
        "SELECT * FROM unnest(%s::int[], %s::int[], %s::int[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING",
        [[key[0] for key in roles], [key[1] for key in roles], list(roles.values())],
    )


# Fields derived from another: when an editor owns the source, they own what follows from it (a quote
# moved to another speaker keeps that speaker's role and speech, not the machine's old speaker's).
DERIVED_FROM = {"role": "person", "speech": "person"}


def _set_unless_edited(record, values: dict) -> bool:
    """Apply `values` except fields an editor owns, or that derive from one; True if anything changed."""
    changed = False
    for name, value in values.items():
        if name in record.edited_fields or DERIVED_FROM.get(name) in record.edited_fields:
            continue
        field = record._meta.get_field(name)
        if field.is_relation:
            # Compare ids: reading the relation would cost a query per record.
            if getattr(record, field.attname) == (value.pk if value is not None else None):
                continue
        elif getattr(record, name) == value:
            continue
        setattr(record, name, value)
        changed = True
    return changed


def _get_or_create_many(model, key_field: str, wanted: dict) -> dict:
    """{key: instance} for every key in `wanted` ({key: unsaved instance}), creating the missing ones."""
    if not wanted:
        return {}
    found = {getattr(obj, key_field): obj for obj in model.objects.filter(**{f"{key_field}__in": list(wanted)})}
    missing = [obj for key, obj in wanted.items() if key not in found]
    if missing:
        model.objects.bulk_create(missing, ignore_conflicts=True)
        found.update(
            {getattr(obj, key_field): obj for obj in model.objects.filter(**{f"{key_field}__in": list(wanted)})}
        )
    return found


def _another_file(article: Article, item: ExtractedArticle) -> bool:
    """True when `item` comes from another file than the one `article` was read from, and that file
    is still there: two `index.txt` given alone in two runs. A file that moved (its old path gone) is
    the same article, updated."""
    if not (article.source_path and item.source_path) or article.source_path == item.source_path:
        return False
    return Path(article.source_path).exists()


def _fuller_roles(seen: dict[tuple, list], found: dict[tuple, Role]) -> dict[tuple, tuple]:
    """{bare role key: fuller key}: "Bộ trưởng" (no organisation) seen only on days the same person is
    also "Bộ trưởng TT&TT", in this batch or in a stored role's span, is that role, not a second one.
    With two fuller candidates (two ministries) the bare title stays as written."""
    aliases = {}
    for (person, title, organisation), dates in seen.items():
        days = {day for day in dates if day}
        if organisation or not days:
            continue
        candidates = {
            key
            for key, other_dates in seen.items()
            if key[:2] == (person, title) and key[2] and days <= {day for day in other_dates if day}
        } | {
            key
            for key, role in found.items()
            if key[:2] == (person, title)
            and key[2]
            and role.first_seen
            and all(role.first_seen <= day <= role.last_seen for day in days)
        }
        if len(candidates) == 1:
            aliases[(person, title, organisation)] = candidates.pop()
    return aliases


class _Batch:
    """One transaction's worth of articles; `run` returns a result per article."""

    def __init__(self, batch: list[ExtractedArticle], replace: bool = False):
        self.batch = batch
        self.replace = replace  # a file may replace the article another file's path stored under its key

    def run(self) -> dict[str, LoadResult | Exception]:
        results: dict[str, LoadResult | Exception] = {}
        names = [item.file_name for item in self.batch]
        existing = {a.file_name: a for a in Article.objects.select_for_update().filter(file_name__in=names)}
        hashes = {item.content_hash for item in self.batch}
        twins = dict(
            Article.objects.filter(content_hash__in=hashes)
            .exclude(file_name__in=names)
            .values_list("content_hash", "file_name")
        )
        todo: list[ExtractedArticle] = []
        for item in self.batch:
            article = existing.get(item.file_name)
            if article is not None and article.content_hash == item.content_hash:
                results[item.file_name] = LoadResult("unchanged", article)
            elif article is not None and not self.replace and _another_file(article, item):
                results[item.file_name] = OtherFileSameKey(
                    f"{item.file_name!r} is already the key of {article.source_path}, with other content; "
                    "ingest their common folder so that the keys differ, rename this file, or pass --replace "
                    "if it is a corrected copy of that file"
                )
            elif item.content_hash in twins:
                results[item.file_name] = DuplicateContent(
                    f"same content as {twins[item.content_hash]}, already in the archive"
                )
            else:
                twins[item.content_hash] = item.file_name  # a later file of this batch is the duplicate
                todo.append(item)
        if todo:
            results.update(self._store(todo, existing))
        return results

    # -- the reference data: sources, events, people, roles -------------------

    def _sources(self, todo):
        wanted = {slug_for(i.source): Source(name=i.source, slug=slug_for(i.source)) for i in todo if i.source}
        return _get_or_create_many(Source, "slug", wanted)

    def _events(self, todo):
        wanted: dict[str, Event] = {}
        for item in todo:
            key = event_key(item)
            if key is None or key in wanted:
                continue
            info = item.event
            wanted[key] = Event(
                key=key,
                name=info.name,
                kind=info.kind,
                date=item.date,
                place=info.place,
                organiser=info.organiser,
                reviews_year=info.reviews_year,
            )
        if not wanted:
            return {}
        found = {e.key: e for e in Event.objects.filter(key__in=list(wanted))}
        # Events an editor merged away live on in their survivor's merged_keys.
        for survivor in Event.objects.filter(merged_keys__overlap=list(wanted)):
            found.update({key: survivor for key in survivor.merged_keys if key in wanted})
        slugs = [self._event_slug(e) for e in wanted.values()]
        taken = set(Event.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        for key, event in wanted.items():
            if key in found:
                # Another article about the same event may know more (a place): fill gaps only.
                fill = {f: getattr(event, f) for f in ("place", "organiser", "reviews_year") if getattr(event, f)}
                fill = {f: v for f, v in fill.items() if not getattr(found[key], f)}
                if _set_unless_edited(found[key], fill):
                    found[key].save()
                continue
            slug = self._event_slug(event)
            if slug in taken:
                slug = f"{slug[:180]}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
            taken.add(slug)
            event.slug = slug
        return _get_or_create_many(Event, "key", {k: e for k, e in wanted.items() if k not in found}) | found

    @staticmethod
    def _event_slug(event: Event) -> str:
        return slug_for(f"{event.name} {event.date.isoformat() if event.date else ''}", max_length=180)

    def _people(self, todo):
        names = {name for item in todo for name in [*item.roles, *(s.name for s in item.speakers)]}
        names |= {q.speaker for item in todo for q in item.quotes if q.speaker}
        wanted = {slug_for(name): Person(name=name, slug=slug_for(name)) for name in names}
        # People an editor merged into someone else are that someone now.
        merged = {
            r.old_slug: r.person for r in PersonRedirect.objects.filter(old_slug__in=wanted).select_related("person")
        }
        by_slug = _get_or_create_many(Person, "slug", {k: v for k, v in wanted.items() if k not in merged}) | merged
        return {name: by_slug[slug_for(name)] for name in names}

    def _roles(self, todo, people):
        seen: dict[tuple, list] = defaultdict(list)
        for item in todo:
            for name, role in item.roles.items():
                seen[(people[name].pk, role.title, role.organisation)].append(item.date)
        if not seen:
            return {}
        person_ids = {key[0] for key in seen}
        found = {(r.person_id, r.title, r.organisation): r for r in Role.objects.filter(person_id__in=person_ids)}
        fuller = _fuller_roles(seen, found)
        for bare in fuller:
            del seen[bare]
        missing = [Role(person_id=k[0], title=k[1], organisation=k[2]) for k in seen if k not in found]
        if missing:
            Role.objects.bulk_create(missing, ignore_conflicts=True)
            found = {(r.person_id, r.title, r.organisation): r for r in Role.objects.filter(person_id__in=person_ids)}
        for bare, full in fuller.items():
            found[bare] = found[full]
        spans = {
            found[key].pk: (min(known), max(known))
            for key, dates in seen.items()
            if (known := list(filter(None, dates)))
        }
        if spans:
            # Widened inside PostgreSQL (LEAST/GREATEST ignore NULL), not read, changed and written back:
            # two loaders seeing the same role at once must not overwrite each other's dates.
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE articles_role r SET first_seen = LEAST(r.first_seen, s.first), "
                    "last_seen = GREATEST(r.last_seen, s.last) "
                    "FROM unnest(%s::int[], %s::date[], %s::date[]) AS s(id, first, last) "
                    "WHERE r.id = s.id AND (r.first_seen IS NULL OR r.last_seen IS NULL "
                    "OR s.first < r.first_seen OR s.last > r.last_seen)",
                    [list(spans), [f for f, _ in spans.values()], [last for _, last in spans.values()]],
                )
        return found

    # -- the articles and what hangs off them ---------------------------------

    def _store(self, todo, existing):
        sources = self._sources(todo)
        events = self._events(todo)
        people = self._people(todo)
        roles = self._roles(todo, people)

        created, updated = [], []
        for item in todo:
            values = {
                "content_hash": item.content_hash,
                "raw_text": item.raw_text,
                "title": item.title[:500],
                "title_derived": item.title_derived,
                "lede": item.lede,
                "body": item.body,
                "date": item.date,
                "date_evidence": item.date_evidence[:300],
                "language": item.language,
                "source": sources.get(slug_for(item.source)) if item.source else None,
                "event": events.get(event_key(item)),
                "speakers_text": ", ".join(speaker.name for speaker in item.speakers),
                "source_path": item.source_path,
            }
            article = existing.get(item.file_name)
            if article is None:
                # What migration 0013's triggers would compute once the speeches exist, so they need not
                # rewrite the new row (an update costs as much as the row's search index entries).
                speaker_ids = speaker_ids_of(item, people) if values["event"] else []
                created.append(Article(file_name=item.file_name, speaker_ids=speaker_ids, **values))
            else:
                _set_unless_edited(article, values)
                article.updated_at = timezone.now()  # bulk_update skips auto_now
                updated.append(article)
        copy_new(created, history_reason=CHANGE_REASON)
        if updated:
            fields = [
                "content_hash",
                "raw_text",
                "title",
                "title_derived",
                "lede",
                "body",
                "date",
                "date_evidence",
                "source_path",
            ]
            bulk_update_with_history(
                updated,
                Article,
                [*fields, "language", "source", "event", "speakers_text", "updated_at"],
                default_change_reason=CHANGE_REASON,
            )
        articles = {a.file_name: a for a in [*created, *updated]}

        role_of = {}
        for item in todo:
            for name, role in item.roles.items():
                role_of[(item.file_name, name)] = roles.get((people[name].pk, role.title, role.organisation))
        speeches = self._speeches(todo, articles, people, role_of)
        self._quotes(todo, articles, people, role_of, speeches, [a.pk for a in updated])
        results = {a.file_name: LoadResult("created", a) for a in created}
        results.update({a.file_name: LoadResult("updated", a) for a in updated})
        return results

    def _speeches(self, todo, articles, people, role_of):
        pairs: dict[tuple[int, int], Speech] = {}
        links = []
        for item in todo:
            event = articles[item.file_name].event  # an editor may have moved the article
            if event is None:
                continue
            for speaker in item.speakers:
                key = (people[speaker.name].pk, event.pk)
                pairs.setdefault(
                    key, Speech(person_id=key[0], event_id=key[1], role=role_of.get((item.file_name, speaker.name)))
                )
                links.append((key, articles[item.file_name].pk))
        if not pairs:
            return {}
        with connection.cursor() as cursor:
            insert_speeches(cursor, {key: speech.role_id for key, speech in pairs.items()})
            found = {
                (s.person_id, s.event_id): s
                for s in Speech.objects.filter(person_id__in={k[0] for k in pairs}, event_id__in={k[1] for k in pairs})
            }
            cursor.execute(
                "INSERT INTO articles_speech_articles (speech_id, article_id) "
                "SELECT * FROM unnest(%s::int[], %s::int[]) ON CONFLICT DO NOTHING",
                [[found[key].pk for key, _ in links], [article_id for _, article_id in links]],
            )
        return found

    def _quotes(self, todo, articles, people, role_of, speeches, updated_ids):
        previous = set(QuoteOccurrence.objects.filter(article_id__in=updated_ids).values_list("quote_id", flat=True))
        QuoteOccurrence.objects.filter(article_id__in=updated_ids).delete()
        # Quotes carried only by the articles being re-read are re-derived from them;
        # quotes other articles carry too keep what they have and only fill gaps.
        owned = previous - set(QuoteOccurrence.objects.filter(quote_id__in=previous).values_list("quote_id", flat=True))

        wanted = []  # (article, extracted quote, values)
        for item in todo:
            article = articles[item.file_name]
            for found in item.quotes:
                person = people.get(found.speaker) if found.speaker else None
                speech = speeches.get((person.pk, article.event_id)) if person and article.event_id else None
                values = {
                    "person": person,
                    "role": role_of.get((item.file_name, found.speaker)) if found.speaker else None,
                    "event": article.event,
                    "speech": speech,
                    "direct": found.direct,
                    "method": found.method,
                    "confidence": found.confidence,
                    "suggested_speaker": found.suggested_speaker or "",
                    "date": article.date,
                }
                wanted.append((article, found, values))
        if not wanted:
            self._drop_orphans(previous)
            return

        keys = {quote_key(f.text) for _, f, _ in wanted}
        keys |= {_personal_key(f.text, v["person"]) for _, f, v in wanted if v["person"]}
        by_key = {q.key: q for q in Quote.objects.filter(key__in=keys)}
        # Candidates for near-identical wording: same speaker, same event.
        clusters: dict[tuple, list[Quote]] = defaultdict(list)
        pairs = {(v["person"].pk, v["event"].pk if v["event"] else None) for _, _, v in wanted if v["person"]}
        if pairs:
            people_ids, event_ids = {p for p, _ in pairs}, {e for _, e in pairs if e}
            for quote in Quote.objects.filter(person_id__in=people_ids, event_id__in=event_ids):
                if (quote.person_id, quote.event_id) in pairs:
                    clusters[(quote.person_id, quote.event_id)].append(quote)
        # The articles carrying each candidate (by the candidate object): one quote is joined to another that
        # carries it only across articles; within one article a lede's summary and the body's sentence, or two
        # sentences sharing a long phrase, stay apart.
        carried_in: dict[int, set[int]] = defaultdict(set)
        stored = {quote.pk: quote for candidates in clusters.values() for quote in candidates}
        for quote_id, article_id in QuoteOccurrence.objects.filter(quote_id__in=stored).values_list(
            "quote_id", "article_id"
        ):
            carried_in[id(stored[quote_id])].add(article_id)

        new_quotes: list[Quote] = []
        changed: dict[int, Quote] = {}
        occurrences = []
        for article, found, values in wanted:
            key = quote_key(found.text)
            quote = by_key.get(key)
            if quote is not None and _said_by_someone_else(quote, values["person"]):
                key = _personal_key(found.text, values["person"])
                quote = by_key.get(key)
            cluster_key = None
            if values["person"]:
                cluster_key = (values["person"].pk, values["event"].pk if values["event"] else None)
            if quote is None and cluster_key:
                elsewhere = {id(q) for q in clusters[cluster_key] if article.pk not in carried_in[id(q)]}
                quote = _near_identical(found.text, clusters[cluster_key], carriers=elsewhere)
            if quote is None:
                quote = Quote(key=key, text=found.text, **values)
                new_quotes.append(quote)
                by_key[key] = quote
                if cluster_key:
                    clusters[cluster_key].append(quote)
            elif quote.pk is None:
                if found.direct and not quote.direct:  # the words themselves, found in this batch
                    quote.text, quote.direct = found.text, True
            elif quote.pk:
                updates = dict(values)
                if quote.pk not in owned:
                    updates = {n: v for n, v in values.items() if v is not None and _is_empty_relation(quote, n)}
                    if values["date"] and (quote.date is None or values["date"] < quote.date):
                        updates["date"] = values["date"]
                    if found.direct and not quote.direct:
                        # Reported by one outlet, now quoted word for word by another: the quote is its words.
                        updates.update(text=found.text, direct=True)
                elif values["person"] is None:
                    # An article that cannot tell who spoke does not erase who did.
                    updates = {n: v for n, v in values.items() if n not in {"person", "role", "speech"}}
                if _set_unless_edited(quote, updates):
                    changed[quote.pk] = quote
            carried_in[id(quote)].add(article.pk)
            occurrences.append((quote, article, found))
        copy_new(new_quotes, history_reason=CHANGE_REASON)
        update_fields(
            list(changed.values()),
            [
                "text",
                "person",
                "role",
                "event",
                "speech",
                "direct",
                "method",
                "confidence",
                "suggested_speaker",
                "date",
            ],
            history_reason=CHANGE_REASON,
        )
        # One occurrence per span (an updated article's old ones were deleted above).
        spans: dict[tuple, tuple] = {}
        for quote, article, found in occurrences:
            spans.setdefault((article.pk, found.start), (quote, article, found))
        copy_new(
            [
                QuoteOccurrence(
                    quote=quote,
                    article=article,
                    start=found.start,
                    end=found.end,
                    text=article.body[found.start : found.end],
                    direct=found.direct,
                )
                for quote, article, found in spans.values()
            ]
        )
        self._drop_orphans(previous)

    @staticmethod
    def _drop_orphans(quote_ids) -> None:
        # Quotes only the updated articles carried and no longer do: gone, unless an editor touched them.
        Quote.objects.filter(pk__in=quote_ids, occurrences__isnull=True, edited_fields=[]).delete()


def _is_empty_relation(record, name: str) -> bool:
    field = record._meta.get_field(name)
    return field.is_relation and getattr(record, field.attname) is None


def _personal_key(text: str, person: Person) -> str:
    return quote_key(f"{text}|{person.slug}")


def _said_by_someone_else(quote: Quote, person: Person | None) -> bool:
    """The same words, credited to another known person: not the same quote."""
    if person is None or quote.person_id is None or quote.person_id == person.pk:
        return False
    return "person" not in quote.edited_fields


def _near_identical(text: str, candidates: list[Quote], *, carriers: set[int] = frozenset()) -> Quote | None:
    """The candidate saying the same thing: near-identical wording, or, among `carriers` (the candidates'
    ids), one carrying the other."""
    wording = match_key(text)
    matcher = None  # indexing the new wording costs more than most comparisons: only when needed
    for candidate in candidates:
        if not hasattr(candidate, "wording"):
            candidate.wording = match_key(candidate.text)  # computed once per candidate
        shorter, longer = sorted((len(wording), len(candidate.wording)))
        if 2 * shorter < NEAR_DUPLICATE_RATIO * (shorter + longer):
            if id(candidate) in carriers and _carried(wording, candidate.wording):
                return candidate
            continue  # ratio() can be at most 2·shorter / total: the lengths alone rule it out
        if matcher is None:
            matcher = difflib.SequenceMatcher(None, "", wording)
        matcher.set_seq1(candidate.wording)
        if matcher.quick_ratio() >= NEAR_DUPLICATE_RATIO and matcher.ratio() >= NEAR_DUPLICATE_RATIO:
            return candidate
    return None


def _carried(one: str, other: str) -> bool:
    """Whether the shorter of two wordings stands, nearly word for word and in order, inside the longer."""
    short, long = sorted((one.split(), other.split()), key=len)
    if len(short) < CARRIED_MIN_WORDS:
        return False
    # Most pairs share too few words to be worth aligning: a set intersection rules them out first.
    present = set(long)
    if sum(word in present for word in short) < CARRIED_SHARE * len(short):
        return False
    blocks = difflib.SequenceMatcher(None, short, long, autojunk=False).get_matching_blocks()
    return sum(block.size for block in blocks) >= CARRIED_SHARE * len(short)


def load_articles(batch: list[ExtractedArticle], *, replace: bool = False) -> dict[str, LoadResult | Exception]:
    """Store `batch`; returns, per file name, its LoadResult or the reason it was not stored."""
    try:
        with transaction.atomic():
            results = _Batch(batch, replace).run()
        overview.forget()  # what the archive holds changed: counted again when next shown
        return results
    except DatabaseError:
        if len(batch) == 1:
            raise
    results: dict[str, LoadResult | Exception] = {}
    for item in batch:
        try:
            with transaction.atomic():
                results.update(_Batch([item], replace).run())
        except DatabaseError as exc:
            results[item.file_name] = StorageRefused(f"the database refused it: {exc}".strip())
    overview.forget()
    return results
