"""The year of an event written as a day and month only, from other words of the same text.

Each function reads one kind of evidence and returns a `YearEvidence` or None; `year_for`
asks them in order of trust and keeps the first answer, unless evidence of the same rank
disagrees (then the year stays unknown). The kinds:

* a full date written within 45 days of the event's (``Chiều ngày 31/5`` … ``từ ngày 29/5/2017``);
* the National Assembly's term and session (``kỳ họp thứ 3 Quốc hội khóa XIV`` → 2017, when the
  event's month fits the session's), from `data/national_assembly.json`;
* the National Assembly sitting on the event's day (``Sáng 8-12, Quốc hội thảo luận …``) when only one
  regular session in the table sat in that month (December: the tenth session of the 15th term, 2025);
* an anniversary's span (``kỷ niệm 60 năm thành lập (1965-2025)`` → 2025);
* the year that names the current period or the event itself (``6 tháng đầu năm 2017``,
  ``nhiệm vụ năm 2017``, ``Hội nghị Thượng đỉnh kinh doanh Việt Nam 2020``), never a year
  compared with (``so với năm 2016``), a birth year or a target (``đến năm 2030``);
* a dated event the text tells as just past (``ngày 15/2/2017 vừa qua``): the event is the first
  such day and month after it. A date told as merely past (``khởi công vào ngày 22-2-2015``) is
  no bound: the story may be years later.
"""

import datetime as dt
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


@dataclass(frozen=True)
class YearEvidence:
    year: int
    evidence: str
    names_event: bool = False  # read from words naming the event itself: its session, anniversary, name


def _month_distance(a: int, b: int) -> int:
    return min((a - b) % 12, (b - a) % 12)


def near_full_date(text: str, month: int, day: int) -> YearEvidence | None:
    """A full date within 45 days of the event (the same story's other days), not one the text
    tells as the start of something long past (``kể từ khi … (1/7/1975)``)."""
    years = set()
    first = None
    for m in FULL_DATE.finditer(text):
        written = dt.date(2000, int(m["month"]), 1) if 1 <= int(m["month"]) <= 12 else None
        if written is None or _in_range(text, m) or LONG_AGO_BEFORE.search(text[max(0, m.start() - 60) : m.start()]):
            continue
        # "31/12/2016" beside an event on 3/1: the event is in the next year, and back.
        year = int(m["year"]) + (1 if int(m["month"]) > month + 6 else -1 if month > int(m["month"]) + 6 else 0)
        event, other = _date(year, month, day), _date(int(m["year"]), int(m["month"]), int(m["day"]))
        if event and other and abs((event - other).days) <= NEAR_DAYS:
            years.add(year)
            first = first or m.group(0)
    if len(years) == 1:
        return YearEvidence(years.pop(), f"the date {first} written near it")
    return None


NEAR_DAYS = 45
LONG_AGO_BEFORE = re.compile(r"(?:kể từ|từ khi|thiết lập|thành lập|ra đời|hồi|năm xưa|trước đây)[^.;]*$")


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
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
        return YearEvidence(year, f"a session of the National Assembly held in {year}", names_event=True)
    return None


def anniversary_year(text: str) -> YearEvidence | None:
    """``kỷ niệm 60 năm thành lập (1965-2025)``: the span's last year when it is the anniversary's."""
    for m in ANNIVERSARY.finditer(text):
        if int(m["year"]) - int(m["first"]) == int(m["span"]):
            return YearEvidence(int(m["year"]), f"the anniversary '{m.group(0)}'", names_event=True)
    return None


# "9 tháng đầu năm 2010" deep in a court story is the past it tells; the current period is named early.
CURRENT_PERIOD_REACH = 3000


def current_year(text: str) -> YearEvidence | None:
    """The year naming the current period or the event (``6 tháng đầu năm 2017``)."""
    years: dict[int, str] = {}
    for pattern, reach in ((CURRENT_PERIOD, CURRENT_PERIOD_REACH), (NAMED_WITH_YEAR, len(text))):
        for m in pattern.finditer(text, 0, reach):
            if not _lists_other_years(text, m):
                years.setdefault(int(m["year"]), m.group(0))
    if len(years) == 1:
        year, phrase = years.popitem()
        return YearEvidence(year, f"'{phrase}'", names_event=True)
    return None


def _lists_other_years(text: str, match: re.Match) -> bool:
    """``Năm 2008 lỗ …, năm 2009 lỗ … và 9 tháng đầu năm 2010 …``: a sentence going through the
    years tells a history; the current period stands alone in its sentence."""
    start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    ends = [i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0]
    sentence = text[start : min(ends) if ends else len(text)]
    return any(int(m["year"]) != int(match["year"]) for m in _ANY_YEAR.finditer(sentence))


def recently_past(text: str, month: int, day: int) -> YearEvidence | None:
    """``ngày 15/2/2017 vừa qua`` (just past): the event is the first such day and month after it."""
    found = [m for m in FULL_DATE.finditer(text) if RECENT_MARKER.match(text, m.end())]
    if len(found) != 1:
        return None
    past = found[0]
    year = int(past["year"]) + (1 if (month, day) <= (int(past["month"]), int(past["day"])) else 0)
    return YearEvidence(year, f"the first {day}/{month} after '{past.group(0)}', told as just past")


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


# The National Assembly sitting in plenary on the event's day: "Sáng 8-12, Quốc hội thảo luận …".
SITTING = re.compile(
    r"Quốc hội (?:thảo luận|chất vấn|biểu quyết|bỏ phiếu|khai mạc|bế mạc|nghe|tiếp tục)"
    r"|phiên (?:chất vấn|thảo luận|họp toàn thể)|bên hành lang Quốc hội|tại hội trường Diên Hồng"
)


def sitting_year(sentence: str, month: int) -> YearEvidence | None:
    """The one year whose regular session sat in the event's month, when the event's own sentence
    says the National Assembly is sitting (`data/national_assembly.json`); none when several fit."""
    if not SITTING.search(sentence):
        return None
    sitting = gazetteer.national_assembly_sitting_years(month)
    if len(sitting) == 1:
        year = sitting.pop()
        return YearEvidence(year, f"the National Assembly sitting in month {month} only in {year}", names_event=True)
    return None


def year_for(text: str, *, day: int, month: int, context: str = "", sentence: str = "") -> YearEvidence | None:
    """The event's year from the text's other words, or None when they say nothing or disagree."""
    everything = f"{text}\n{context}"
    for rank in (
        (near_full_date(text, month, day), session_year(everything, month), sitting_year(sentence, month)),
        (anniversary_year(text), current_year(text)),
        (recently_past(text, month, day),),
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
