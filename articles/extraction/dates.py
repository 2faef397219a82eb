"""The event date of an article, with its year inferred from context.

News texts date events as ``Ngày 18-12``, ``Sáng 12-1``, ``chiều nay 24/12``,
``hôm nay, 27/9``, ``Sáng nay (3/7)``, mostly without a year. The year comes,
in order of trust, from: the date itself; the review year of a year-end
conference (``tổng kết … năm 2022`` held on 18-12 → 2022, ``tổng kết năm 2020``
held on 12-1 → 2021); a header date; the nearest year in the text (``tháng
6/2017``, ``21/12/1954-21/12/2020``); a year-month in an image path. What cannot
be known stays unknown: no year is ever guessed from thin air.
"""

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from articles.extraction import years

_TIME_OF_DAY = r"(?:[Ss]áng|[Cc]hiều|[Tt]rưa|[Tt]ối|[Đđ]êm|[Hh]ôm|[Nn]gày)"
_TODAY = r"(?:\s+nay)?"
_DAY_MONTH = r"(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})(?:\s*[/.-]\s*(?P<year>(?:19|20)\d\d))?(?![\d/.-]*\d)"

# "Ngày 18-12", "Sáng 12-1", "chiều nay 24/12", "sáng nay, 21/12", "Sáng nay (3/7)",
# "hôm nay, ngày 22/3", "ngày 22/6/2020", "hôm 7/12".
EVENT_DATE = re.compile(
    rf"(?<![\w/]){_TIME_OF_DAY}{_TODAY}\s*[,(]?\s*(?:ngày\s+)?{_DAY_MONTH}",
)
# "hôm nay, 27/9" in 003 after the event name; also "diễn ra hôm nay, 27/9".
FULL_DATE = re.compile(r"(?<![\d/.])(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>(?:19|20)\d\d)(?![\d])")
WORDY_DATE = re.compile(r"(?<!\d)(?P<day>\d{1,2}) tháng (?P<month>\d{1,2}),? (?:năm )?(?P<year>(?:19|20)\d\d)")
HEADER_YEAR_MONTH = re.compile(r"\bdate:?\s*(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)(?:-(?P<day>\d\d))?")
MONTH_YEAR = re.compile(r"tháng (?P<month>\d{1,2})[/-](?P<year>(?:19|20)\d\d)")
REVIEW_YEAR = re.compile(
    r"tổng kết(?: công tác| hoạt động| ngành[^.,;]{0,80}?)?(?: năm)? (?P<year>(?:19|20)\d\d)", re.IGNORECASE
)
PLAN_NEXT_YEAR = re.compile(
    r"năm (?P<year>(?:19|20)\d\d)[^.]{0,40}?triển khai (?:nhiệm vụ|kế hoạch|phương hướng)"
    r"[^.]{0,20}?năm (?P<next>(?:19|20)\d\d)"
)
IMAGE_PATH_DATE = re.compile(r"/(?P<year>20\d\d)/(?P<month>[01]\d)/")
IMAGE_PATH_MONTHYEAR = re.compile(r"/(?P<month>[01]\d)(?P<year>20\d\d)/(?P<day>[0-3]\d)/")


@dataclass(frozen=True)
class DateFinding:
    date: dt.date | None
    evidence: str
    day_month_text: str = ""
    year_written: bool = False  # the year is written with this day and month in the text itself
    names_event: bool = False  # the year comes from words naming the event (its review, name or session)


def _valid(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def review_year(text: str) -> int | None:
    """The year a year-end review looks back on (``tổng kết năm 2020`` → 2020).

    Only a review ("tổng kết") has one: a plan for next year mentioned in any
    other context ("năm 2020 …, triển khai … năm 2021") is not a review.
    """
    for match in PLAN_NEXT_YEAR.finditer(text):
        if (
            int(match["next"]) == int(match["year"]) + 1
            and "tổng kết" in text[max(0, match.start() - 80) : match.start()].lower()
        ):
            return int(match["year"])
    if match := REVIEW_YEAR.search(text):
        return int(match["year"])
    return None


def _year_from_review(month: int, reviewed: int) -> int:
    # A review of year X is held late in X (from about October) or early in X+1.
    return reviewed if month >= 7 else reviewed + 1


def _event_date_candidates(text: str, *, checked_by_post_date: bool = False):
    """The days/months that may date the event, in order: not range ends, not past references."""
    for match in EVENT_DATE.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if re.search(r"(?:[Tt]rước đó|[Tt]ừ|[Đđ]ến|[Tt]ới|vừa qua|[Vv]ào|hết|[Tt]rước|[Ss]au|kể từ)[\s,]*$", before):
            continue
        if _is_range(text, match) or is_document_date(text, match.start()):
            continue
        # News writes the year of its own event where the date opens the sentence ("Ngày 11/5/2017,
        # Bộ …"); a full date inside one mostly tells of another day (a deadline, a signing). A post
        # date checks such dates better, when there is one.
        if match["year"] and not checked_by_post_date and not _opens_sentence(text, match.start()):
            continue
        yield match


def _opens_sentence(text: str, position: int) -> bool:
    before = text[max(0, position - 3) : position].rstrip(" ,")
    return not before or before[-1] in '.!?:;\n-–—(|"“”'


def is_document_date(text: str, position: int) -> bool:
    """``Nghị định số 29/2012/NĐ-CP ngày 12/4/2012``: the date a document was signed, not an event."""
    return bool(DOCUMENT_BEFORE.search(text[max(0, position - 60) : position]))


POSTED_BEFORE = dt.timedelta(days=14)  # a post reports events of the last two weeks …
POSTED_AFTER = dt.timedelta(days=1)  # … or of the next day (a scheduled post, a time zone)


_MONTHS = {
    name: n
    for n, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
DAY_MONTH_NAME_YEAR = re.compile(r"(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3})[a-z]*\.?,?\s+(?P<year>\d{4})")
FRONT_MATTER_DATE = re.compile(r"^date:\s*[\"']?(?P<value>[^\"'\n]+)", re.MULTILINE | re.IGNORECASE)


def post_date(header: str) -> dt.date | None:
    """The day a front matter or dateline says the text was posted, if it gives one
    (``date: 2024-04-09 10:00``, ``date: Tue, 09 Apr 2024 10:00:00 +0700``, ``Thứ hai, 12/12/2016``)."""
    if m := FRONT_MATTER_DATE.search(header):
        value = m["value"].strip()
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            pass
        try:
            return email.utils.parsedate_to_datetime(value).date()
        except (TypeError, ValueError, IndexError):
            pass
        if (m := DAY_MONTH_NAME_YEAR.search(value)) and m["month"].lower() in _MONTHS:  # "05 Jan 2025 00 00"
            return _valid(int(m["year"]), _MONTHS[m["month"].lower()], int(m["day"]))
    if (m := HEADER_YEAR_MONTH.search(header)) and m["day"]:
        return _valid(int(m["year"]), int(m["month"]), int(m["day"]))
    if m := FULL_DATE.search(header) or WORDY_DATE.search(header):
        return _valid(int(m["year"]), int(m["month"]), int(m["day"]))
    return None


def _corroborated(date: dt.date, text: str) -> bool:
    """Another source names the same year and month: ``images/2018-03-22-…``, ``/2018/03/``."""
    return bool(re.search(rf"(?<!\d){date.year}[-/]{date.month:02d}(?!\d)", text))


def _plausible(found: DateFinding, text: str, posted: dt.date | None, header_and_context: str = "") -> bool:
    """A post reports events shortly before it; with no post date, a text that names a later year
    in the present or past is not reporting an event of this one (``ngày 5/5/1945`` in 2017 news).
    A date the text writes in full after its post date wins: the post date is then a repost's."""
    if found.date is None:
        return True
    if posted is not None:
        if found.year_written and found.date > posted and _corroborated(found.date, header_and_context):
            return True  # the text's full date, backed by an image path, outranks a repost's template date
        return posted - POSTED_BEFORE <= found.date <= posted + POSTED_AFTER
    # A year the event's own words give (its review, its name, its session) is never background.
    return found.names_event or not years.later_year_named(text, found.date.year)


def find_event_date(body: str, *, context: str = "", header: str = "", lead: str | None = None) -> DateFinding:
    """The date of the event the article reports.

    `body` is the cleaned article text (teasers removed); `context` is extra
    text that may carry year hints but no event (captions, image paths);
    `header` holds dateline/front-matter text; `lead` is where the event is
    announced (first sentences, plus any trailer repeating the original lead):
    a day/month elsewhere dates something else. A date that cannot be the
    event's (see `_plausible`) gives way to the next candidate.
    """
    lead = lead if lead is not None else body
    posted = post_date(header)
    refused = None
    for match in _event_date_candidates(lead, checked_by_post_date=posted is not None):
        found = _date_of(match, body=body, lead=lead, context=context, header=header)
        if _plausible(found, body, posted, f"{header}\n{context}"):
            return found
        refused = refused or found
    if refused is None:
        found = _date_without_day_month(lead, header, context, checked_by_post_date=posted is not None)
        if _plausible(found, body, posted):
            return found
        refused = found
    return DateFinding(None, f"{refused.evidence}: not the event's date (the text or its post date says so)")


def _date_of(match: re.Match, *, body: str, lead: str, context: str, header: str) -> DateFinding:
    """The year of one day/month, from the strongest evidence at hand."""
    day, month = int(match["day"]), int(match["month"])
    text = match.group(0)
    if match["year"]:
        return DateFinding(_valid(int(match["year"]), month, day), f"full date '{text}'", text, year_written=True)

    if (reviewed := review_year(lead)) is not None:
        year = _year_from_review(month, reviewed)
        return DateFinding(_valid(year, month, day), f"'{text}' at the review of {reviewed}", text, names_event=True)

    if (posted := post_date(header)) and _month_distance(posted.month, month) <= 1:
        # A December event posted in January belongs to the previous year, and back.
        year = posted.year + (
            1 if posted.month == 12 and month == 1 else -1 if posted.month == 1 and month == 12 else 0
        )
        return DateFinding(_valid(year, month, day), f"'{text}' with the post date {posted.isoformat()}", text)

    for source, label in ((header, "header"), (context, "image path")):
        m = HEADER_YEAR_MONTH.search(source) or IMAGE_PATH_DATE.search(source)
        if m and (abs(int(m["month"]) - month) <= 1 or {int(m["month"]), month} == {1, 12}):
            # A December event published in January belongs to the previous year, and back.
            year = int(m["year"]) + (1 if int(m["month"]) == 12 and month == 1 else 0)
            year -= 1 if int(m["month"]) == 1 and month == 12 else 0
            return DateFinding(_valid(year, month, day), f"'{text}' with the {label} date {m.group(0)}", text)
        m = FULL_DATE.search(source) or WORDY_DATE.search(source)
        if m and int(m["month"]) == month:
            return DateFinding(_valid(int(m["year"]), month, day), f"'{text}' with the {label} date", text)

    for m in MONTH_YEAR.finditer(body[:MONTH_YEAR_REACH] + "\n" + context):
        background = (
            BACKGROUND_BEFORE.search(body[max(0, m.start() - 30) : m.start()]) if m.start() < len(body) else None
        )
        if int(m["month"]) in {month, month - 1, 12 if month == 1 else month - 1} and not background:
            year = int(m["year"]) + (1 if int(m["month"]) == 12 and month == 1 else 0)
            return DateFinding(_valid(year, month, day), f"'{text}' near '{m.group(0)}'", text)

    for m in FULL_DATE.finditer(body):
        if (
            (int(m["day"]), int(m["month"])) == (day, month)
            and not _is_range_start(body, m)
            and not TIME_LIMIT_BEFORE.search(body[max(0, m.start() - 15) : m.start()])
        ):
            evidence = f"'{text}' repeated as '{m.group(0)}'"
            return DateFinding(_valid(int(m["year"]), month, day), evidence, text, year_written=True)

    if (m := IMAGE_PATH_MONTHYEAR.search(context)) and int(m["month"]) == month:
        return DateFinding(_valid(int(m["year"]), month, day), f"'{text}' with the image path {m.group(0)}", text)

    if found := years.year_for(body, day=day, month=month, context=context, sentence=_sentence_of(lead, match)):
        evidence = f"'{text}' with {found.evidence}"
        return DateFinding(_valid(found.year, month, day), evidence, text, names_event=found.names_event)

    return DateFinding(None, f"'{text}' has no year the text supports", text)


# "từ ngày 24/4/2018", "trước ngày 30/9/2017": a time limit, not the day of the event.
TIME_LIMIT_BEFORE = re.compile(r"(?:[Tt]ừ|[Đđ]ến|[Tt]rước|[Ss]au|hết|[Hh]ạn)\s+(?:ngày\s+)?$")
# A month and year far into the text belongs to the story's background, not to its event.
MONTH_YEAR_REACH = 1500
# "từ tháng 2/2015", "so với tháng 1/2016", "được điều chỉnh tháng 2/2015": a month of the past, not the event's.
BACKGROUND_BEFORE = re.compile(
    r"(?:(?:[Tt]ừ|[Tt]rước|kể từ|hồi|so với|cùng kỳ)|(?:được|bị|đã)\s+[^\s,.]+(?:\s+[^\s,.]+)?(?:\s+vào)?)\s*$"
)
TEXT_DATE_REACH = 400  # characters: a full date further into the text dates something else


def _date_without_day_month(lead: str, header: str, context: str, *, checked_by_post_date: bool) -> DateFinding:
    for source, label in ((header, "header"), (lead[:TEXT_DATE_REACH], "text")):
        for m in FULL_DATE.finditer(source):
            date = _valid(int(m["year"]), int(m["month"]), int(m["day"]))
            if (
                date
                and not _is_range(source, m)
                and not is_document_date(source, m.start())
                and (label == "header" or checked_by_post_date or _opens_sentence(source, m.start()))
            ):
                return DateFinding(date, f"{label} date '{m.group(0)}'", m.group(0), year_written=label == "text")
        if (m := WORDY_DATE.search(source)) and (date := _valid(int(m["year"]), int(m["month"]), int(m["day"]))):
            return DateFinding(date, f"{label} date '{m.group(0)}'", m.group(0))
    return DateFinding(None, "no date in the text")


# "Quyết định số 123/QĐ-TTg ngày 12/3/2010", "sinh ngày 1/1/1990": the date of a document or a birth.
DOCUMENT_BEFORE = re.compile(
    r"(?:\d+/\d{4}/[\w.-]+|\bsố:?\s*[\w/.-]*\d[\w/.-]*)(?:\s+của\s+[^,.;]{1,40})?\s*,?\s*(?:ban hành\s+)?(?:ngày\s*)?$"
    r"|\bsinh\s+(?:ngày\s*)?$"
)


def _sentence_of(text: str, match: re.Match) -> str:
    """The sentence holding a date candidate."""
    start = max(text.rfind(". ", 0, match.start()), text.rfind("\n", 0, match.start())) + 1
    ends = [i for i in (text.find(". ", match.end()), text.find("\n", match.end())) if i >= 0]
    return text[start : min(ends) if ends else len(text)]


def _is_range_start(text: str, match: re.Match) -> bool:
    """``(22-5-1927 - 22-5-2017)``: the first date of a span is its past; the anniversary is the last."""
    return bool(re.match(r"\s*[-–]\s*\d", text[match.end() : match.end() + 6]))


def _month_distance(a: int, b: int) -> int:
    return min((a - b) % 12, (b - a) % 12)


def _is_range(text: str, match: re.Match) -> bool:
    after = text[match.end() : match.end() + 6]
    before = text[max(0, match.start() - 5) : match.start()]
    return bool(re.match(r"\s*[-–]\s*\d", after) or re.search(r"\d\s*[-–]\s*$", before))
