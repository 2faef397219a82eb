"""Label-free measures of extraction over a directory of raw news texts.

No annotation is needed: each measure counts something that is wrong (or
suspicious) whatever the right answer is — a dated year outside the corpus's
span, a "person" that is a place, a role that contains a verb or another
person's name, a quote with no speaker — and keeps a few examples to read.
Pure functions over `ExtractedArticle`s; no database.
"""

import datetime as dt
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from articles.extraction import boilerplate, dates, lexicon
from articles.extraction.gazetteer import is_place_name
from articles.extraction.normalize import fold

# --- small containers -------------------------------------------------------


@dataclass
class Tally:
    """A count, with up to `limit` examples (file + snippet) to read."""

    limit: int
    count: int = 0
    examples: list[dict] = field(default_factory=list)

    def add(self, file: str, snippet: str) -> None:
        self.count += 1
        if len(self.examples) < self.limit:
            self.examples.append({"file": file, "snippet": snippet})

    def as_dict(self) -> dict:
        return {"count": self.count, "examples": self.examples}


@dataclass
class Tallies:
    """Tallies by key (a reason, a kind, a year…), largest first when reported."""

    limit: int
    by_key: dict[str, Tally] = field(default_factory=dict)

    def add(self, key: str, file: str, snippet: str) -> None:
        self.by_key.setdefault(key, Tally(self.limit)).add(file, snippet)

    @property
    def count(self) -> int:
        return sum(tally.count for tally in self.by_key.values())

    def as_dict(self) -> dict:
        ordered = sorted(self.by_key.items(), key=lambda item: (-item[1].count, item[0]))
        return {key: tally.as_dict() for key, tally in ordered}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _one_line(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _around(text: str, start: int, end: int, width: int = 70) -> str:
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    return _one_line(f"{'…' if start > width else ''}{before}[{text[start:end]}]{after}…", 2 * width + 200)


# --- parsing the options and the texts ---------------------------------------


def parse_years(value: str) -> tuple[int, int]:
    """`2016-2017` (or one year, `2017`) → (2016, 2017); ValueError when malformed."""
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?", value or "")
    if not match:
        raise ValueError(f"expected a span of years like 2016-2017, got {value!r}")
    first, last = int(match[1]), int(match[2] or match[1])
    if first > last:
        raise ValueError(f"the span {value!r} ends before it starts")
    return first, last


def post_date(raw_text: str) -> dt.date | None:
    """The post date a front matter or dateline gives, read as the extractor reads it."""
    return dates.post_date(boilerplate.split_layout(raw_text).header)


def rejection_reason(message: str) -> str:
    """`not Vietnamese (diacritic ratio 0.001, …)` → `not Vietnamese`: the text before any parenthesis or number
    (a number standing alone: `UTF-8` stays)."""
    head = re.split(r"\(|(?<![\w-])\d", message, maxsplit=1)[0]
    return head.strip(" \t,;:-–") or message.strip()


def evidence_kind(evidence: str) -> str:
    """`'ngày 5/6' with the header date 2017-06` → `'…' with the header date N`; `full date 'ngày 5/6/2017'` →
    `full date '…'`. Quoted parts become `'…'` and numbers `N`, so a new evidence string still groups with
    others of its kind."""
    text = re.sub(r"'[^']*'|“[^”]*”", "'…'", evidence)
    text = re.sub(r"[^\s()']*\d[^\s()']*", "N", text)
    return " ".join(text.split()) or "(none)"


def confidence_band(confidence: float) -> str:
    tenth = min(max(int(confidence * 10 + 1e-9), 0), 9)
    return f"{tenth / 10:.1f}–{(tenth + 1) / 10:.1f}"


# --- people and roles ---------------------------------------------------------


def organisation_head(name: str) -> str | None:
    """The organisation head a "name" starts with (`Sở Nội vụ` → `Sở`), if any."""
    lowered = name.lower()
    for head in sorted(lexicon.ORGANISATION_HEADS, key=len, reverse=True):
        if lowered == head.lower() or lowered.startswith(head.lower() + " "):
            return head
    return None


# Words that never belong in a role: they continue a clause.
CONNECTIVES = ("cùng", "đã", "đang", "sẽ", "được", "bị", "cho", "tại", "với", "khi", "là", "để", "ở", "thì", "mà",
               "nhưng", "rằng", "vừa")  # fmt: skip
# "Đại sứ Việt Nam tại Nhật Bản": "tại" belongs to these roles.
_POSTED_ABROAD = re.compile(r"Đại sứ|Lãnh sự|[Đđ]ại diện|[Tt]hường trú|Tùy viên|Tuỳ viên")
# A speech verb right after these is part of a name: "Ban chỉ đạo", "Công nghệ thông tin", "Trung tâm giới thiệu…".
_NAME_BEFORE_VERB = re.compile(r"(?:Ban|Tiểu ban|Trung tâm|[Cc]ông nghệ|Cục|Viện|Phòng|Vụ|Sở|Bộ|Hội đồng|và)\s+$")
# Ranks, degrees and seats held alongside any post: never counted twice, never in conflict.
GENERIC_TITLES = frozenset(
    ["Trưởng", "Phó trưởng", "Đại biểu", "đại biểu", "ĐB", "ĐBQH", "Đại biểu Quốc hội", "đại biểu Quốc hội",
     "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tướng", "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá",
     "đại tá", "thượng tá", "trung tá", "thiếu tá", "nhà báo", "Nhà báo", "luật sư", "Luật sư", "tiến sĩ",
     "Tiến sĩ", "GS.TS", "PGS.TS", "PGS", "GS", "TS", "ThS"]
)  # fmt: skip
# A full name right after these names a place, a school, a street or a prize, not a person.
_NAMING_WORDS = re.compile(
    r"(?<![\w])(?:tỉnh|thành phố|TP\.?|quận|huyện|thị xã|thị trấn|xã|phường|thôn|bản|làng|ấp|khu|Khu|vùng|sông|núi|đảo"
    r"|Trường|trường|THPT|THCS|[Tt]iểu học|[Mm]ầm non|Đại học|ĐH|Học viện|Bệnh viện|[Đđ]ường|[Pp]hố|[Cc]ầu|[Cc]hợ"
    r"|[Ll]uật sư|Quỹ|Giải|[Cc]úp|Lăng|[Đđ]ền|[Cc]hùa|[Bb]ảo tàng|Di tích|[Cc]ông viên|Nhà hát|Công ty|Tập đoàn)\s+$"
)
# "nhà ở", "thiết bị": the connective is the second syllable of a noun.
_COMPOUND_BEFORE = re.compile(r"(?<![\w])(?:nhà|thiết|trang|chuẩn|dự|hậu)\s+$", re.IGNORECASE)
_OFFICE_TITLES = [t for t in lexicon.TITLES if t not in GENERIC_TITLES]  # longest first, as in the lexicon
_OFFICE_TITLE_RE = re.compile(rf"(?<![\w])(?<!Văn phòng )(?:{'|'.join(map(re.escape, _OFFICE_TITLES))})(?![\w])")
_SPEECH_VERB_RE = re.compile(rf"(?<![\w])(?:{'|'.join(map(re.escape, lexicon.SPEECH_VERBS))})(?![\w])")
_CONNECTIVE_RE = re.compile(rf"(?<![\w])(?:{'|'.join(CONNECTIVES)})(?![\w])")
_AND_RE = re.compile(r"(?<![\w])và(?![\w])")
_WORD_RE = re.compile(r"[^\W\d_]+")


def _is_syllable(word: str) -> bool:
    """A capitalised syllable of a name: `Thị`, `Xuân` (not `UBND`, not `tạo`)."""
    return word[:1].isupper() and word[1:] == word[1:].lower()


def _place_length(words: list[str], is_place) -> int:
    """How many of `words` (from the start) form a known place: `Hà Nội Hoàng …` → 2."""
    for size in range(min(len(words), 4), 1, -1):
        joined = " ".join(words[:size])
        if joined in lexicon.PLACES or (is_place is not None and is_place(joined)):
            return size
    return 0


def _at_a_place(rest: str, is_place) -> bool:
    """`tại Đà Nẵng` ending the role (or before a parenthesis): where an office is, not a clause."""
    place = re.split(r"[(,;]", rest, maxsplit=1)[0].strip()
    return bool(place) and (place in lexicon.PLACES or (is_place is not None and is_place(place)))


def name_spans(text: str, *, is_place=None) -> list[tuple[int, str]]:
    """Full names in `text` with where they start: a surname + 1–3 capitalised syllables, not a place and not a
    named school, street or prize (`Trường Nguyễn Huệ`, `huyện Lâm Hà`, `Bồ Đào Nha`)."""
    words = list(_WORD_RE.finditer(text))
    names, index = [], 0
    while index < len(words):
        word = words[index]
        if word[0] not in lexicon.SURNAMES:
            index += 1
            continue
        end = index + 1
        while (
            end < len(words)
            and end - index <= 3
            and _is_syllable(words[end][0])
            and not text[words[end - 1].end() : words[end].start()].strip()
        ):
            end += 1
        run = [w[0] for w in words[index:end]]
        previous = words[index - 1][0] if index else ""
        skip = _place_length(run, is_place)
        if not skip and previous[:1].isupper() and is_place is not None and is_place(f"{previous} {run[0]}"):
            skip = 1  # "Bồ Đào Nha": the surname-like word ends a place's name
        if skip:
            index += skip
            continue
        if end - index >= 2 and not _NAMING_WORDS.search(text[: word.start()]):
            names.append((word.start(), " ".join(run)))
        index = end
    return names


def _and_joining(text: str, is_place) -> str | None:
    """`và` before a title, a person (`và ông Phan Văn Tú`) or nothing: two people or posts run together.
    In `Bộ Khoa học và Công nghệ` it is part of the name."""
    for m in _AND_RE.finditer(text):
        rest = text[m.end() :]
        gap = re.match(rf"[\s,]*(?:(?:{'|'.join(lexicon.HONORIFICS)})\s+)?", rest).end()
        after = rest[gap:]
        names_after = name_spans(rest[:80], is_place=is_place)
        if not after.strip() or _OFFICE_TITLE_RE.match(after) or (names_after and names_after[0][0] == gap):
            return _one_line(f"và {after}", 40)
    return None


def role_problems(title: str, organisation: str, *, is_place=None) -> list[tuple[str, str]]:
    """What makes a role read as a clause rather than a post: (reason, the words found)."""
    text = f"{title} {organisation}".strip()
    problems = []
    for m in _SPEECH_VERB_RE.finditer(text):
        if not _NAME_BEFORE_VERB.search(text[: m.start()]) and not text[m.end() :].startswith(" việc làm"):
            problems.append(("speech verb", m[0]))
            break
    for m in _CONNECTIVE_RE.finditer(text):
        if m[0] in ("ở", "bị") and _COMPOUND_BEFORE.search(text[: m.start()]):
            continue  # "Cục Quản lý nhà ở", "Vụ Trang thiết bị": nouns
        if m[0] == "tại" and (_POSTED_ABROAD.search(text) or _at_a_place(text[m.end() :], is_place)):
            continue  # "Đại sứ … tại Nhật Bản", "Nhà khách Quốc hội tại Đà Nẵng (NALOD)"
        problems.append(("connective", m[0]))
        break
    if "connective" not in (reason for reason, _ in problems) and (joined := _and_joining(text, is_place)):
        problems.append(("connective", joined))
    if names := name_spans(text, is_place=is_place):
        problems.append(("person's name", names[0][1]))
    titles = list(_OFFICE_TITLE_RE.finditer(text))
    for first, second in itertools.pairwise(titles):
        if "kiêm" not in text[first.end() : second.start()]:
            problems.append(("title twice", f"{first[0]} … {second[0]}"))
            break
    return problems


def _title_key(title: str) -> str:
    title = re.sub(rf"^(?:{'|'.join(lexicon.TITLE_PREFIXES)})\s+", "", title.strip())
    return " ".join(fold(title).split())


def organisation_signature(organisation: str) -> str:
    """Initials, abbreviations spelled out: `Bộ NN&PTNT` and `Bộ Nông nghiệp và Phát triển nông thôn` → `bnnptnt`."""
    letters = []
    for word in re.findall(r"[^\W_]+", organisation):
        if word.lower() == "và":
            continue
        letters.append(fold(word) if len(word) > 1 and word.isupper() else fold(word)[:1])
    return "".join(letters)


def roles_compatible(first: tuple[str, str], second: tuple[str, str]) -> bool:
    """Can one person hold both (title, organisation) roles? Incompatible: different titles whose organisations
    disagree. A bare title and a fuller one (`Thứ trưởng`, `Thứ trưởng Thường trực`) are the same title; ranks,
    degrees and seats (`Đại tá`, `TS`, `ĐB`) go with anything; `Bộ GD-ĐT` agrees with `Bộ Giáo dục và Đào tạo`."""
    if first[0] in GENERIC_TITLES or second[0] in GENERIC_TITLES:
        return True
    a, b = _title_key(first[0]), _title_key(second[0])
    if a == b or a.startswith(b + " ") or b.startswith(a + " "):
        return True
    sig_a, sig_b = organisation_signature(first[1]), organisation_signature(second[1])
    return sig_a in sig_b or sig_b in sig_a


# --- the report -------------------------------------------------------------------


class CorpusReport:
    """Feed it articles and rejections, then read `as_dict()` (JSON-ready) or `format_text(...)`."""

    def __init__(self, *, years: tuple[int, int] | None = None, post_date_window: int | None = None, examples=5):
        self.years, self.window, self.limit = years, post_date_window, examples
        self.is_place = is_place_name
        self.articles = 0
        self.rejected = Tallies(examples)
        self.dated = 0
        self.dated_by_kind, self.undated_by_kind = Tallies(examples), Tallies(examples)
        self.outside_years = Tallies(examples)
        self.with_post_date = 0
        self.post_date_position = Tallies(examples)
        self.speakers = 0
        self.not_people = Tallies(examples)
        self.roles = 0
        self.bad_roles = Tally(examples)
        self.bad_roles_by_reason = Tallies(examples)
        self.roles_by_name: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(lambda: defaultdict(list))
        self.direct = self.attributed = self.reported = 0
        self.unattributed = Tally(examples)
        self.by_method, self.by_confidence = Tallies(examples), Tallies(examples)

    def add_rejection(self, file: str, message: str) -> None:
        self.rejected.add(rejection_reason(message), file, _one_line(message))

    def add_article(self, article, *, file: str | None = None) -> None:
        file = file or article.file_name
        self.articles += 1
        self._dates(article, file)
        self._people(article, file)
        self._quotes(article, file)

    def _dates(self, article, file: str) -> None:
        evidence = f"{article.date.isoformat() if article.date else 'undated'}: {article.date_evidence}"
        if article.date is None:
            self.undated_by_kind.add(evidence_kind(article.date_evidence), file, _one_line(evidence))
            return
        self.dated += 1
        self.dated_by_kind.add(evidence_kind(article.date_evidence), file, _one_line(evidence))
        if self.years and not self.years[0] <= article.date.year <= self.years[1]:
            self.outside_years.add(str(article.date.year), file, _one_line(evidence))
        posted = post_date(article.raw_text) if self.window is not None else None
        if posted is not None:
            self.with_post_date += 1
            if article.date == posted + dt.timedelta(days=1):
                position = "the day after the post date"
            elif article.date > posted:
                position = "after the post date"
            elif (posted - article.date).days <= self.window:
                position = f"within {self.window} days before (or on) the post date"
            else:
                position = f"more than {self.window} days before the post date"
            self.post_date_position.add(position, file, _one_line(f"posted {posted.isoformat()}, {evidence}"))

    def _people(self, article, file: str) -> None:
        for speaker in article.speakers:
            self.speakers += 1
            role = f"{speaker.title} {speaker.organisation}".strip()
            snippet = self._context(article.body, speaker.name, f"{speaker.name} ({role or 'no role'})")
            if self.is_place is not None and self.is_place(speaker.name):
                self.not_people.add("place", file, snippet)
            elif head := organisation_head(speaker.name):
                self.not_people.add(f"organisation ({head})", file, snippet)
        for name, role in article.roles.items():
            self.roles += 1
            self.roles_by_name[name][(role.title, role.organisation)].append(file)
            if problems := role_problems(role.title, role.organisation, is_place=self.is_place):
                label = _one_line(f"{name}: {role.title} | {role.organisation}", 130)
                self.bad_roles.add(file, f"{label}  ← {', '.join(found for _, found in problems)}")
                for reason, found in problems:
                    self.bad_roles_by_reason.add(reason, file, f"{label}  ← {found}")

    def _quotes(self, article, file: str) -> None:
        for quote in article.quotes:
            head = _one_line(quote.text, 100)
            said = f"{quote.speaker or 'nobody'}: “{head}”"
            self.by_method.add(quote.method, file, said)
            self.by_confidence.add(confidence_band(quote.confidence), file, said)
            if not quote.direct:
                self.reported += 1
                continue
            self.direct += 1
            if quote.speaker:
                self.attributed += 1
            else:
                shown = article.body[max(0, quote.start - 100) : min(quote.end, quote.start + 140)]
                self.unattributed.add(file, _one_line(f"…{shown}{'' if quote.end <= quote.start + 140 else '…'}", 260))

    @staticmethod
    def _context(body: str, needle: str, label: str) -> str:
        at = body.find(needle)
        return label if at < 0 else f"{label}: {_around(body, at, at + len(needle))}"

    def namesake_conflicts(self) -> list[dict]:
        conflicts = []
        for name, roles in self.roles_by_name.items():
            keys = list(roles)
            if any(not roles_compatible(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :]):
                listed = sorted(roles.items(), key=lambda item: -len(item[1]))
                conflicts.append(
                    {
                        "name": name,
                        "articles": sum(len(files) for files in roles.values()),
                        "roles": [
                            {"title": t, "organisation": o, "articles": len(files), "example_file": files[0]}
                            for (t, o), files in listed
                        ],
                    }
                )
        return sorted(conflicts, key=lambda c: (-c["articles"], c["name"]))

    def as_dict(self) -> dict:
        conflicts = self.namesake_conflicts()
        within = sum(t.count for key, t in self.post_date_position.by_key.items() if key.startswith("within"))
        next_day = sum(t.count for key, t in self.post_date_position.by_key.items() if key.startswith("the day after"))
        return {
            "files": self.articles + self.rejected.count,
            "articles": self.articles,
            "rejected": {"count": self.rejected.count, "by_reason": self.rejected.as_dict()},
            "dates": {
                "dated": self.dated,
                "share_dated": _share(self.dated, self.articles),
                "dated_by_evidence": self.dated_by_kind.as_dict(),
                "undated_by_evidence": self.undated_by_kind.as_dict(),
                "years": list(self.years) if self.years else None,
                "outside_years": {
                    "count": self.outside_years.count,
                    "share_of_dated": _share(self.outside_years.count, self.dated),
                    "by_year": self.outside_years.as_dict(),
                },
                "post_date_window": self.window,
                "post_date": {
                    "dated_with_post_date": self.with_post_date,
                    "within_window": within,
                    "share_within_window": _share(within, self.with_post_date),
                    "within_window_or_day_after": within + next_day,
                    "share_within_window_or_day_after": _share(within + next_day, self.with_post_date),
                    "by_position": self.post_date_position.as_dict(),
                },
            },
            "speakers": {
                "count": self.speakers,
                "places_checked": self.is_place is not None,
                "places_or_organisations": {
                    "count": self.not_people.count,
                    "share": _share(self.not_people.count, self.speakers),
                    "by_kind": self.not_people.as_dict(),
                },
            },
            "roles": {
                "count": self.roles,
                "with_verb_connective_or_name": {
                    **self.bad_roles.as_dict(),
                    "share": _share(self.bad_roles.count, self.roles),
                    "by_reason": self.bad_roles_by_reason.as_dict(),
                },
            },
            "namesake_conflicts": {
                "names": len(self.roles_by_name),
                "count": len(conflicts),
                "examples": conflicts[: self.limit],
            },
            "quotes": {
                "direct": self.direct,
                "attributed": self.attributed,
                "unattributed": self.unattributed.count,
                "share_unattributed": _share(self.unattributed.count, self.direct),
                "unattributed_examples": self.unattributed.examples,
                "reported": self.reported,
                "by_method": self.by_method.as_dict(),
                "by_confidence": dict(sorted(self.by_confidence.as_dict().items(), reverse=True)),
            },
        }


def build_report(results, **options) -> dict:
    """`results`: (file, ExtractedArticle or rejection message) pairs → the report as a dict."""
    report = CorpusReport(**options)
    for file, result in results:
        if isinstance(result, str | Exception):
            report.add_rejection(file, str(result))
        else:
            report.add_article(result, file=file)
    return report.as_dict()


# --- text output ------------------------------------------------------------------


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{share * 100:.1f}%"


def _examples(lines: list[str], examples: list[dict], indent: str) -> None:
    lines.extend(f"{indent}{e['file']}: {e['snippet']}" for e in examples)


def _tallies(lines: list[str], tallies: dict, indent: str = "    ") -> None:
    width = max((len(key) for key in tallies), default=0)
    for key, tally in tallies.items():
        lines.append(f"{indent}{key:<{width}}  {tally['count']:>6}")
        _examples(lines, tally["examples"], indent + "    ")


def format_text(data: dict) -> str:
    lines = [f"files read: {data['files']}, articles: {data['articles']}, rejected: {data['rejected']['count']}"]
    _tallies(lines, data["rejected"]["by_reason"])

    dates = data["dates"]
    lines += ["", "DATES", f"  dated: {dates['dated']} of {data['articles']} ({_percent(dates['share_dated'])})"]
    lines.append("  dated, by evidence:")
    _tallies(lines, dates["dated_by_evidence"])
    lines.append("  undated, by evidence:")
    _tallies(lines, dates["undated_by_evidence"])
    if dates["years"]:
        outside = dates["outside_years"]
        first, last = dates["years"]
        lines.append(
            f"  dated outside {first if first == last else f'{first}–{last}'}: {outside['count']} of {dates['dated']}"
            f" ({_percent(outside['share_of_dated'])}), by year:"
        )
        _tallies(lines, outside["by_year"])
    if dates["post_date_window"] is not None:
        post = dates["post_date"]
        lines.append(
            f"  within {dates['post_date_window']} days before (or on) the front-matter post date:"
            f" {post['within_window']} of {post['dated_with_post_date']} dated articles with a post date"
            f" ({_percent(post['share_within_window'])}); with the day after it:"
            f" {post['within_window_or_day_after']} ({_percent(post['share_within_window_or_day_after'])})"
        )
        _tallies(lines, post["by_position"])

    speakers = data["speakers"]
    odd = speakers["places_or_organisations"]
    lines += ["", "SPEAKERS", f"  speakers: {speakers['count']}"]
    checked = "" if speakers["places_checked"] else " (places NOT checked: articles.extraction.gazetteer is missing)"
    lines.append(f"  places or organisations: {odd['count']} ({_percent(odd['share'])}){checked}")
    _tallies(lines, odd["by_kind"])

    roles = data["roles"]
    bad = roles["with_verb_connective_or_name"]
    lines += ["", "ROLES", f"  roles: {roles['count']}"]
    lines.append(f"  with a verb, connective or person's name: {bad['count']} ({_percent(bad['share'])})")
    _tallies(lines, bad["by_reason"])

    namesakes = data["namesake_conflicts"]
    lines.append(
        f"  namesake conflicts (one name, incompatible roles): {namesakes['count']} of {namesakes['names']} names"
    )
    for conflict in namesakes["examples"]:
        lines.append(f"    {conflict['name']} ({conflict['articles']} articles)")
        for role in conflict["roles"]:
            label = f"{role['title']} | {role['organisation']}" if role["organisation"] else role["title"]
            lines.append(f"        {label}  ×{role['articles']}  e.g. {role['example_file']}")

    quotes = data["quotes"]
    lines += [
        "",
        "QUOTES",
        f"  direct: {quotes['direct']}, attributed: {quotes['attributed']},"
        f" unattributed: {quotes['unattributed']} ({_percent(quotes['share_unattributed'])})",
    ]
    _examples(lines, quotes["unattributed_examples"], "        ")
    lines.append(f"  reported: {quotes['reported']}")
    lines.append("  by attribution method:")
    _tallies(lines, quotes["by_method"])
    lines.append("  by confidence:")
    _tallies(lines, quotes["by_confidence"])
    return "\n".join(lines)
