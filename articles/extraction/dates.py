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


def _event_date_candidate(text: str) -> re.Match | None:
    """The first day/month that dates the event: not a range end, not a past reference."""
    for match in EVENT_DATE.finditer(text):
        before = text[max(0, match.start() - 12) : match.start()]
        if re.search(r"(?:Trước đó|trước đó|[Tt]ừ|đến|[Đđ]ến|vừa qua)[\s,]*$", before):
            continue
        if _is_range(text, match):
            continue
        return match
    return None


def find_event_date(body: str, *, context: str = "", header: str = "", lead: str | None = None) -> DateFinding:
    """The date of the event the article reports.

    `body` is the cleaned article text (teasers removed); `context` is extra
    text that may carry year hints but no event (captions, image paths);
    `header` holds dateline/front-matter text; `lead` is where the event is
    announced (first sentences, plus any trailer repeating the original lead):
    a day/month elsewhere dates something else.
    """
    match = _event_date_candidate(lead if lead is not None else body)
    if match is None:
        return _date_without_day_month(lead if lead is not None else body, header, context)
    day, month = int(match["day"]), int(match["month"])
    text = match.group(0)
    if match["year"]:
        return DateFinding(_valid(int(match["year"]), month, day), f"full date '{text}'", text)

    if (reviewed := review_year(lead if lead is not None else body)) is not None:
        year = _year_from_review(month, reviewed)
        return DateFinding(_valid(year, month, day), f"'{text}' at the review of {reviewed}", text)

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

    for m in MONTH_YEAR.finditer(body + "\n" + context):
        if int(m["month"]) in {month, month - 1, 12 if month == 1 else month - 1}:
            year = int(m["year"]) + (1 if int(m["month"]) == 12 and month == 1 else 0)
            return DateFinding(_valid(year, month, day), f"'{text}' near '{m.group(0)}'", text)

    for m in FULL_DATE.finditer(body):
        if (int(m["day"]), int(m["month"])) == (day, month):
            return DateFinding(_valid(int(m["year"]), month, day), f"'{text}' repeated as '{m.group(0)}'", text)

    if (m := IMAGE_PATH_MONTHYEAR.search(context)) and int(m["month"]) == month:
        return DateFinding(_valid(int(m["year"]), month, day), f"'{text}' with the image path {m.group(0)}", text)

    if found := years.year_for(body, day=day, month=month, context=context):
        return DateFinding(_valid(found.year, month, day), f"'{text}' with {found.evidence}", text)

    return DateFinding(None, f"'{text}' has no year the text supports", text)


def _date_without_day_month(body: str, header: str, context: str) -> DateFinding:
    for source, label in ((header, "header"), (body, "text")):
        if m := FULL_DATE.search(source) or WORDY_DATE.search(source):
            date = _valid(int(m["year"]), int(m["month"]), int(m["day"]))
            if date and not _is_range(source, m):
                return DateFinding(date, f"{label} date '{m.group(0)}'", m.group(0))
    return DateFinding(None, "no date in the text")


def _is_range(text: str, match: re.Match) -> bool:
    after = text[match.end() : match.end() + 6]
    before = text[max(0, match.start() - 3) : match.start()]
    return bool(re.match(r"\s*[-–]\s*\d", after) or re.search(r"\d\s*[-–]\s*$", before))
