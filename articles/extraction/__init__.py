"""Pure extraction: raw news text in, plain data out. No database access.

`extract_article` runs the steps in order: normalise → lay out (boilerplate,
headline, source) → language check → date → event → people → quotes.
"""

import hashlib
import re
from dataclasses import dataclass, field

from articles.extraction import boilerplate, dates, events, formats, language, lexicon, people
from articles.extraction import quotes as quote_rules
from articles.extraction.normalize import clean_text


class RejectedText(ValueError):
    """The text cannot become an article; the message says why."""


@dataclass
class Speaker:
    name: str
    title: str
    organisation: str


@dataclass
class ExtractedArticle:
    file_name: str
    raw_text: str
    content_hash: str
    title: str
    title_derived: bool
    lede: str
    body: str
    date: object  # datetime.date | None
    date_evidence: str
    source: str | None
    language: str
    event: events.EventInfo | None
    speakers: list[Speaker] = field(default_factory=list)
    quotes: list[quote_rules.ExtractedQuote] = field(default_factory=list)
    roles: dict[str, people.Role] = field(default_factory=dict)
    source_path: str = ""  # where ingest read it (absolute), set by the caller


def _derive_title(event: events.EventInfo | None, body: str) -> str:
    if event is not None:
        return event.name
    first_sentence = re.split(r"(?<=[.!?])\s", body, maxsplit=1)[0]
    return first_sentence if len(first_sentence) <= 160 else first_sentence[:157].rsplit(" ", 1)[0] + "…"


# "Phát biểu khai mạc, Tiến sĩ, Bác sĩ Chuyên khoa II Nguyễn Văn A, …": the one named after the
# clause speaks; titles written in capitals may stand between the comma and the name.
# A title, or a capitalised word and at most one lower-case syllable after it ("Chuyên khoa II").
_TITLE_OR_CAPITAL = rf"(?:{'|'.join(re.escape(t) for t in lexicon.TITLES)}|[A-ZĐ][^\s,.]*(?:\s+[^\W\d_A-ZĐ][^\s,.]*)?)"
_INTRODUCED_SPEAKER = re.compile(
    r"(?:Phát biểu|Theo|Thay mặt|Trả lời|Giải trình|Chia sẻ|Nói về|Đáp từ)[^.]{0,120},"
    rf"(?:\s*{_TITLE_OR_CAPITAL}(?:\s+{_TITLE_OR_CAPITAL})*,?)*\s*$"
)


def _speakers(body: str, mentions: list[people.Mention], found: list[quote_rules.ExtractedQuote]) -> list[str]:
    """People who speak: quoted, or the subject of a speech verb (not mere attendees)."""
    speaking = [q.speaker for q in found if q.speaker]
    for mention in mentions:
        if (
            mention.name
            and quote_rules.speaking_subject(body[mention.start : mention.start + 400], mention.start, [mention])
        ) or (mention.name and (_introduced(body, mention, mentions) or quote_rules.is_according_to(body, mention))):
            speaking.append(mention.name)
    return list(dict.fromkeys(speaking))


def _introduced(body: str, mention: people.Mention, mentions: list[people.Mention]) -> bool:
    """``Phát biểu tại hội nghị, Bộ trưởng X …``: the first person after the introduction, not a
    later name in the same clause (``Theo ông X, Chủ tịch quận, hai phố Y, Z …``)."""
    window_start = max(0, mention.start - 160)
    introduction = _INTRODUCED_SPEAKER.search(body[window_start : mention.start])
    if introduction is None:
        return False
    since = window_start + introduction.start()
    return not any(since <= other.start < mention.start for other in mentions if other is not mention)


def extract_article(raw_text: str, *, file_name: str, raw_bytes: bytes | None = None) -> ExtractedArticle:
    if not raw_text.strip():
        raise RejectedText("the file is empty")
    if "\x00" in raw_text:
        raise RejectedText("the file contains NUL bytes: binary data, not text")
    plain, _shape = formats.to_plain_text(raw_text)
    layout = boilerplate.split_layout(plain)
    body = "\n".join(layout.paragraphs)
    if not body.strip():
        raise RejectedText("no article text left after removing boilerplate")
    if reason := language.rejection(body):
        raise RejectedText(reason)

    context = "\n".join(layout.context)
    found_date = dates.find_event_date(body, context=context, header=layout.header, lead=layout.lead)
    event = events.find_event(layout.paragraphs, layout.headline)
    mentions = people.find_mentions(body)
    quoted = [(span.start, span.end) for span in quote_rules.find_quote_spans(body)]
    persons = people.resolve(mentions, quoted=quoted)
    direct = quote_rules.extract_quotes(body, mentions)
    offsets, position = [], 0
    for paragraph in layout.paragraphs:
        offsets.append((position, paragraph))
        position += len(paragraph) + 1
    covered = [(q.start, q.end) for q in direct]
    reported = [
        q
        for q in quote_rules.extract_reported(offsets, mentions)
        if not any(s <= q.start < e or q.start <= s < q.end for s, e in covered)
    ]
    all_quotes = sorted(direct + reported, key=lambda q: q.start)
    speaker_names = _speakers(body, mentions, all_quotes)
    speakers = []
    for name in speaker_names:
        role = persons[name].role if name in persons else None
        speakers.append(Speaker(name, role.title if role else "", role.organisation if role else ""))

    headline = layout.headline
    digest = hashlib.sha256(raw_bytes if raw_bytes is not None else raw_text.encode()).hexdigest()
    return ExtractedArticle(
        file_name=file_name,
        raw_text=raw_text,
        content_hash=digest,
        title=clean_text(headline) if headline else _derive_title(event, body),
        title_derived=headline is None,
        lede=layout.paragraphs[0],
        body=body,
        date=found_date.date,
        date_evidence=found_date.evidence,
        source=layout.source,
        language="vi",
        event=event,
        speakers=speakers,
        quotes=all_quotes,
        roles={name: person.role for name, person in persons.items() if person.role},
    )
