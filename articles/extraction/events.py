"""The occasion an article reports: its name, kind, place, organiser and the
year a review looks back on, read from the sentence that announces it."""

import re
from dataclasses import dataclass

from articles.extraction.dates import review_year
from articles.extraction.normalize import fold

KINDS = (
    ("year_end_review", re.compile(r"\btổng kết\b", re.IGNORECASE)),
    ("training", re.compile(r"\btập huấn\b", re.IGNORECASE)),
    ("anniversary", re.compile(r"\bkỷ niệm\b|\bngày truyền thống\b", re.IGNORECASE)),
    ("inauguration", re.compile(r"\bkhánh thành\b|\bkhai trương\b", re.IGNORECASE)),
    ("government_meeting", re.compile(r"\bphiên họp Chính phủ\b", re.IGNORECASE)),
    ("parliament_session", re.compile(r"\bkỳ họp\b|\bQuốc hội\b.{0,40}\bthảo luận\b", re.IGNORECASE)),
    ("signing", re.compile(r"\bký kết\b|\blễ ký\b", re.IGNORECASE)),
    ("conference", re.compile(r"\bhội nghị\b|\bhội thảo\b|\bdiễn đàn\b", re.IGNORECASE)),
)
EVENT_PHRASE = re.compile(
    r"(?P<name>(?:Hội nghị|hội nghị|Lễ|lễ|Hội thảo|hội thảo|Diễn đàn|phiên họp|Phiên họp|Kỳ họp|kỳ họp)"
    r"(?: trực tuyến)?(?! Phát biểu)[^.;:()“”\"\n]{5,160}?)"
    r"(?=\s+(?:diễn ra|vừa|của Bộ|do|qua|tại|sáng|chiều|hôm|ngày|với)\b|[.;:(“”\"\n]|,\s+[A-ZĐ])"
)
ORGANISED_REVIEW = re.compile(
    r"(?P<org>Bộ [^,.]{2,60}?|UBND [^,.]{2,40}?)(?: \([^)]*\))?(?: đã)? tổ chức "
    r"(?P<name>(?:Hội nghị )?tổng kết[^.;\n]{3,140})",
    re.IGNORECASE,
)
PLACE = re.compile(
    r"\btại (?!Hội|Lễ|Phiên|Kỳ|Diễn)"
    r"(?P<place>(?:Hà Nội|TP\.? ?Hồ Chí Minh|Trụ sở Chính phủ|[A-ZĐ][\w]+(?: [A-ZĐ][\w]+){0,3}))"
)
# A ministry's name runs until the clause goes on ("Bộ Khoa học và Công nghệ tổ chức…",
# "Bộ Giao thông vận tải đã…"): a name may hold lower-case words and "và", not verbs.
ORGANISER = re.compile(
    r"\b(?P<org>Bộ (?:TT&TT|[A-ZĐ][\w&]*(?: (?!(?:tổ|đã|vừa|phối|chủ|cùng|đang|sẽ|có|là|được|tiếp|ban|triển khai|tại|"
    r"cho|về|với|trong|nhằm|để|sáng|chiều|ngày|năm|thì|đến|lần)\b)[\wĐđ&]+){0,6}))(?=[\s,.(]|$)"
)


@dataclass(frozen=True)
class EventInfo:
    name: str
    kind: str
    place: str
    organiser: str
    reviews_year: int | None


_ABBREVIATIONS = {"tt&tt": "thong tin va truyen thong", "kh&cn": "khoa hoc va cong nghe"}


def organisation_key(organisation: str) -> str:
    """One spelling per organiser: ``Bộ TT&TT`` = ``Bộ Thông tin và Truyền thông``."""
    key = fold(organisation)
    for short, long in _ABBREVIATIONS.items():
        key = key.replace(short, long)
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")


def _kind(text: str) -> str:
    for kind, pattern in KINDS:
        if pattern.search(text):
            return kind
    return "other"


def _tidy(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,-–")
    return name[0].upper() + name[1:] if name else name


def find_event(paragraphs: list[str], headline: str | None) -> EventInfo | None:
    """The event announced in the headline or the first paragraphs, if any."""
    # One line each: a headline without a full stop must not run into the lede's "Ngày 22-4".
    lead = "\n".join(filter(None, [headline, *paragraphs[:3]]))
    name = None
    organiser = ""
    if match := ORGANISED_REVIEW.search(lead):
        name = _tidy(match["name"])
        organiser = match["org"].strip()
    elif match := EVENT_PHRASE.search(lead):
        name = _tidy(match["name"])
    if name is None:
        return None
    if not organiser and (org := ORGANISER.search(lead)):
        organiser = org["org"]
    place = PLACE.search(lead)
    kind = _kind(name)
    reviewed = review_year(lead) if kind == "year_end_review" else None
    if organiser and organiser not in name and kind == "year_end_review":
        name = f"{name} của {organiser}"
    return EventInfo(name[:300], kind, place["place"] if place else "", organiser, reviewed)
