"""The year of an event written as a day and month only, from other words of the same text.

Each function reads one kind of evidence and returns a `YearEvidence` or None; `year_for`
asks them in order of trust and keeps the first answer, unless evidence of the same rank
disagrees (then the year stays unknown). The kinds:

* a full date written within two months of the event's (``Chiều ngày 31/5`` … ``từ ngày 29/5/2017``);
* the National Assembly's term and session (``kỳ họp thứ 3 Quốc hội khóa XIV`` → 2017, when the
  event's month fits the session's), from `data/national_assembly.json`;
* an anniversary's span (``kỷ niệm 60 năm thành lập (1965-2025)`` → 2025);
* the year that names the current period or the event itself (``6 tháng đầu năm 2017``,
  ``nhiệm vụ năm 2017``, ``Hội nghị Thượng đỉnh kinh doanh Việt Nam 2020``), never a year
  compared with (``so với năm 2016``), a birth year or a target (``đến năm 2030``);
* a dated event the text tells as past (``Vào sáng 5/10/2016, … khởi công``, ``ngày 15/2/2017 vừa
  qua``): the event is the first such day and month after it.
"""

import re
from dataclasses import dataclass

from articles.extraction import gazetteer

_YEAR = r"(?P<year>(?:19|20)\d\d)"
_ORDINALS = {
    "nhất": 1,
    "hai": 2,
    "ba": 3,
    "tư": 4,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
    "mười một": 11,
    "mười hai": 12,
}
_ORDINAL = rf"(?P<session>\d{{1,2}}|{'|'.join(sorted(_ORDINALS, key=len, reverse=True))})"
_TERM = r"(?P<term>[IVXLC]+|\d{1,2})"
# "kỳ họp thứ 3 Quốc hội khóa XIV", "Kỳ họp thứ ba, Quốc hội khóa XIV", "kỳ họp thứ 9, Quốc hội khoá XV".
SESSION = re.compile(
    rf"[Kk]ỳ họp (?:bất thường )?thứ {_ORDINAL}\b[^.;\n]{{0,40}}?(?:Quốc hội|QH),? [Kk]h(?:óa|oá|oa) {_TERM}\b",
)
FULL_DATE = re.compile(r"(?<![\d/.])(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-]" + _YEAR + r"(?![\d])")
ANNIVERSARY = re.compile(
    r"[Kk]ỷ niệm (?P<span>\d{1,3}) năm[^.;\n()]{0,80}?\(\s*(?P<first>(?:18|19|20)\d\d)\s*[-–]\s*" + _YEAR
)
CURRENT_PERIOD = re.compile(
    r"(?:(?:\d{1,2}|mười hai) tháng đầu năm|quý (?:I|II|III|IV|\d) năm|nửa đầu năm|đầu năm nay|"
    r"nhiệm vụ năm|năm nay,?) " + _YEAR + r"(?![\d-])",
    re.IGNORECASE,
)
# An event or campaign named with its year: "Hội nghị … Việt Nam 2020", "Năm Kỷ cương hành chính 2017".
NAMED_WITH_YEAR = re.compile(
    r"(?:Hội nghị|Hội thảo|Diễn đàn|Triển lãm|Tuần lễ|Năm|Lễ hội|Giải|Festival|Hội chợ)"
    r"(?: [^\s.,;:()“”\"]+){1,10}? " + _YEAR + r"(?![\d/-])",
)
RECENT_MARKER = re.compile(r"\s+(?:vừa qua|vừa rồi)")
PAST_MARKER = re.compile(r"(?:[Vv]ào|[Tt]rước đó,?|[Hh]ôm|[Tt]ừ)\s+(?:(?:sáng|chiều|tối|trưa|ngày)\s+)*$")


@dataclass(frozen=True)
class YearEvidence:
    year: int
    evidence: str


def _month_distance(a: int, b: int) -> int:
    return min((a - b) % 12, (b - a) % 12)


def near_full_date(text: str, month: int) -> YearEvidence | None:
    """A full date within two months of the event's month (the same story's other days)."""
    years = set()
    first = None
    for m in FULL_DATE.finditer(text):
        if _month_distance(int(m["month"]), month) <= 2 and not _in_range(text, m):
            written = int(m["month"])
            # "31/12/2016" beside an event on 3/1: the event is in the next year, and back.
            year = int(m["year"]) + (1 if written > month + 6 else -1 if month > written + 6 else 0)
            years.add(year)
            first = first or m.group(0)
    if len(years) == 1:
        return YearEvidence(years.pop(), f"the date {first} written near it")
    return None


def session_year(text: str, month: int) -> YearEvidence | None:
    """``kỳ họp thứ 3 Quốc hội khóa XIV`` held in May–June 2017; the event's month must fit."""
    years = set()
    for m in SESSION.finditer(text):
        session = m["session"]
        number = int(session) if session.isdigit() else _ORDINALS[session]
        found = gazetteer.national_assembly_session_year(m["term"], number)
        if found is None:
            continue
        year, months = found
        if any(_month_distance(month, held) <= 1 for held in months):
            years.add(year)
    if len(years) == 1:
        year = years.pop()
        return YearEvidence(year, f"a session of the National Assembly held in {year}")
    return None


def anniversary_year(text: str) -> YearEvidence | None:
    """``kỷ niệm 60 năm thành lập (1965-2025)``: the span's last year when it is the anniversary's."""
    for m in ANNIVERSARY.finditer(text):
        if int(m["year"]) - int(m["first"]) == int(m["span"]):
            return YearEvidence(int(m["year"]), f"the anniversary '{m.group(0)}'")
    return None


def current_year(text: str) -> YearEvidence | None:
    """The year naming the current period or the event (``6 tháng đầu năm 2017``)."""
    years: dict[int, str] = {}
    for pattern in (CURRENT_PERIOD, NAMED_WITH_YEAR):
        for m in pattern.finditer(text):
            years.setdefault(int(m["year"]), m.group(0))
    if len(years) == 1:
        year, phrase = years.popitem()
        return YearEvidence(year, f"'{phrase}'")
    return None


def after_past_event(text: str, month: int, day: int) -> YearEvidence | None:
    """``Vào sáng 5/10/2016, … khởi công …`` told as past: the event (5/6) is the next 5/6 after it."""
    found = None
    for m in FULL_DATE.finditer(text):
        told_as_past = PAST_MARKER.search(text[max(0, m.start() - 20) : m.start()]) or RECENT_MARKER.match(
            text, m.end()
        )
        if told_as_past and not _in_range(text, m):
            if found is not None:
                return None  # several past dates: no single bound
            found = m
    if found is None:
        return None
    year = int(found["year"]) + (1 if (month, day) <= (int(found["month"]), int(found["day"])) else 0)
    return YearEvidence(year, f"the first {day}/{month} after '{found.group(0)}', told as past")


# A year named as a target or a plan ("đến năm 2030", "giai đoạn 2021-2025") says nothing of the present.
_TARGET_BEFORE = re.compile(
    r"(?:đến|tới|trước|tầm nhìn|giai đoạn|kế hoạch|mục tiêu|dự kiến|phấn đấu|hết|cuối|vào|sau|chiến lược|"
    r"định hướng|lộ trình|nhiệm kỳ|khóa|khoá|hạn)(?: năm)?\s*$",
    re.IGNORECASE,
)
_ANY_YEAR = re.compile(r"(?<![\d/.,-])(?P<year>(?:19|20)\d\d)(?![\d%])")


def later_year_named(text: str, year: int) -> bool:
    """The text names a year at least two after `year` as a present or past fact: then a date in
    `year` is background to the story (``ngày 5/5/1945`` in news of 2017), not its event.

    Not a fact: a target or plan (``đến năm 2030``, ``tầm nhìn 2045``), a span (``2021 – 2030``),
    or a bare round year (2030, 2045, 2050), which news names almost only as a target."""
    for m in _ANY_YEAR.finditer(text):
        named = int(m["year"])
        if named < year + 2:
            continue
        before = text[max(0, m.start() - 20) : m.start()]
        after = text[m.end() : m.end() + 3]
        if _TARGET_BEFORE.search(before) or re.match(r"\s*[-–]\s*\d", after) or re.search(r"\d\s*[-–]\s*$", before):
            continue
        if named % 5 == 0 and not re.search(r"\d\s*[/.-]\s*$", before):
            continue
        return True
    return False


def year_for(text: str, *, day: int, month: int, context: str = "") -> YearEvidence | None:
    """The event's year from the text's other words, or None when they say nothing or disagree."""
    everything = f"{text}\n{context}"
    for rank in (
        (near_full_date(text, month), session_year(everything, month)),
        (anniversary_year(text), current_year(text)),
        (after_past_event(text, month, day),),
    ):
        found = [evidence for evidence in rank if evidence is not None]
        if len({evidence.year for evidence in found}) == 1:
            return found[0]
        if found:
            return None  # evidence of equal trust disagrees: unknown
    return None


def _in_range(text: str, match: re.Match) -> bool:
    after = text[match.end() : match.end() + 4]
    before = text[max(0, match.start() - 3) : match.start()]
    return bool(re.match(r"\s*[-–]\s*\d", after) or re.search(r"\d\s*[-–]\s*$", before))
