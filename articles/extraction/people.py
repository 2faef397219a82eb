"""Who is mentioned where: names, titles and references, resolved within an article.

A mention is one of:

* title (+ organisation) + name: ``Thứ trưởng Bộ TT&TT Phạm Đức Long``,
  ``Bộ trưởng TT&TT, ông Nguyễn Mạnh Hùng``;
* name + title chain: ``Nguyễn Xuân Phúc, Ủy viên Bộ Chính trị, Thủ tướng Chính
  phủ`` or ``Phạm Minh Chính - Ủy viên Bộ Chính trị, Thủ tướng Chính phủ``;
* honorific + name: ``ông Nguyễn Viết Lâm``;
* a reference to someone named earlier: the bare title (``Thủ tướng``, never
  matched inside ``Phó Thủ tướng``), ``Người đứng đầu Chính phủ``, title or
  honorific + last syllable (``Bộ trưởng Dũng``, ``ông Lịch``).

Names must start with a Vietnamese surname, so organisations (``Bộ Khoa học``)
are never read as names.
"""

import bisect
import re
from dataclasses import dataclass, field

from articles.extraction import lexicon

UPPER = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_CAP_WORD = rf"[{UPPER}][^\W\d_]*"
_NAME_RUN = re.compile(rf"{_CAP_WORD}(?:\s+{_CAP_WORD})*")


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_TITLE = rf"(?:(?:{_alternation(lexicon.TITLE_PREFIXES)})\s+)?(?:{_alternation(lexicon.TITLES)})"
TITLE_RE = re.compile(rf"(?<![\w])(?<!Phó )(?<!Tổng )(?<!Phó Tổng )({_TITLE})(?![\w])")
HONORIFIC_RE = re.compile(rf"(?<![\w])({_alternation(lexicon.HONORIFICS)})\s+(?={_CAP_WORD})")
_CHAIN_END = re.compile(
    rf"[;.\n:“”\"]|\s(?:(?:{_alternation(lexicon.SPEECH_ADVERBS)})\s+)*"
    rf"(?:{_alternation(lexicon.SPEECH_VERBS)}|tham dự|và các|cùng)(?![\w])|$"
)
_TRAILING_HONORIFIC = re.compile(rf"[,\s]*(?:(?<!\w)(?:{_alternation(lexicon.HONORIFICS)}))?\s*$")
# Where the name after a title must have started: the end of the clause.
_NAME_WINDOW_END = re.compile(r"[.;:!?“”\"(]|\s(?:đã|cho|nói|phát|khẳng|nhấn|là|và các)\s")
# "Bộ trưởng Dũng": one capitalised word after a title, with no other capitalised word following.
_SHORT_NAME_AFTER_TITLE = re.compile(rf"\s+({_CAP_WORD})(?![\w\s]*{_CAP_WORD})")
_CAP_WORD_RE = re.compile(_CAP_WORD)
_CHAIN_SEPARATOR = re.compile(r"\s*(?:,|[-–])\s*")
REFERENCE_RE = re.compile(rf"(?<![\w])({_alternation(lexicon.ROLE_REFERENCES)})(?:\s+(?:TT&TT|{_CAP_WORD}))?")


@dataclass(frozen=True)
class Role:
    title: str
    organisation: str = ""

    @property
    def label(self) -> str:
        return f"{self.title} {self.organisation}".strip()


@dataclass
class Mention:
    start: int
    end: int
    name: str | None  # canonical full name once resolved
    role: Role | None = None
    kind: str = "named"  # named | title | reference | short
    given: str | None = None  # for "short" mentions: the syllable that ends the name ("ông Lịch")


@dataclass
class Person:
    name: str
    roles: list[Role] = field(default_factory=list)

    @property
    def role(self) -> Role | None:
        return self.roles[0] if self.roles else None


_PLACE_RE = re.compile(rf"(?<![\w])(?:{'|'.join(re.escape(p) for p in lexicon.PLACES)})(?![\w])")


def _split_place(words: list[str]) -> list[str]:
    """The words after the last place name in `words` (all of them if none)."""
    text = " ".join(words)
    last = None
    for last in _PLACE_RE.finditer(text):  # noqa: B007 - we want the last one
        pass
    if last is None:
        return words
    return words[len(text[: last.end()].split()) :]


def _trim_sentence_start(words: list[str]) -> list[str]:
    for index, word in enumerate(words):
        if index and word in lexicon.SENTENCE_STARTERS:
            return words[:index]
    return words


def name_in_run(run: str) -> str | None:
    """The person's name at the end of a run of capitalised words, if any.

    ``Sở TT&TT Quảng Ninh Lê Ngọc Hân`` → ``Lê Ngọc Hân``. The name starts at
    the first surname (so ``Nguyễn Thị Kim Thúy`` keeps ``Kim``) and has 2–5
    syllables.
    """
    words = _trim_sentence_start(_split_place(run.split()))
    for index, word in enumerate(words):
        if word in lexicon.SURNAMES:
            candidate = _split_place(words[index:])
            if candidate != words[index:]:
                continue
            if 2 <= len(candidate) <= 5:
                return " ".join(candidate)
            return None
    return None


def _name_at(text: str, pos: int) -> tuple[str, int] | None:
    """A name that starts exactly at `pos`: (name, end offset)."""
    match = _NAME_RUN.match(text, pos)
    if not match:
        return None
    words = match.group(0).split()
    if words[0] not in lexicon.SURNAMES or _split_place(words) != words:
        return None
    if text[max(0, pos - 5) : pos].strip().lower() in {"báo", "tờ", "đường", "phố", "số"}:
        return None  # a newspaper or a street named after someone
    name_words = _trim_sentence_start(words)[:5]
    if len(name_words) < 2:
        return None
    name = " ".join(name_words)
    return name, pos + len(name)


def _organisation(text: str) -> str:
    text = text.strip(" ,-–")
    return re.sub(r"^(?:của|tại)\s+", "", text)


def normalise_role(title: str, organisation: str) -> Role:
    organisation = organisation.strip(" ,;-–")
    if title in {"Thủ tướng", "Phó Thủ tướng"} and organisation.startswith("Chính phủ"):
        organisation = organisation[len("Chính phủ") :].strip()
    return Role(title, organisation)


def parse_title_chain(chain: str) -> Role | None:
    """The working role in ``Ủy viên Bộ Chính trị, Thủ tướng Chính phủ, Chủ tịch …``."""
    for item in re.split(r"\s*,\s*", chain):
        item = item.strip()
        if not item or item.startswith(lexicon.PARTY_TITLES):
            continue
        match = TITLE_RE.match(item)
        if match:
            return normalise_role(match.group(1), item[match.end() :])
        return None
    return None


def _chain_after(text: str, pos: int) -> tuple[str, int] | None:
    """A title chain right after a name: ``, Thủ tướng …`` or `` - Ủy viên …``."""
    match = _CHAIN_SEPARATOR.match(text, pos)
    if not match:
        return None
    start = match.end()
    if not (TITLE_RE.match(text, start) or text.startswith(lexicon.PARTY_TITLES, start)):
        return None
    end_match = _CHAIN_END.search(text, start)
    return text[start : end_match.start()], end_match.start()


def find_mentions(text: str) -> list[Mention]:
    """Every person mention in `text`, in order, with names unresolved for references."""
    candidates: list[Mention] = []
    add = candidates.append

    # Title + (organisation) + name, or a bare title.
    for match in TITLE_RE.finditer(text):
        title = match.group(1)
        after = match.end()
        window = text[after : after + 160]
        # The name may follow after an organisation, a comma and an honorific.
        stop = _NAME_WINDOW_END.search(window)
        window = window[: stop.start()] if stop else window
        found = None
        for run in _NAME_RUN.finditer(window):
            name = name_in_run(run.group(0))
            if name:
                name_start = after + run.start() + run.group(0).rfind(name)
                found = (name, name_start, name_start + len(name))
                break
        if found:
            between = text[after : found[1]]
            between = _TRAILING_HONORIFIC.sub("", between)
            if "," in between.strip(", ") or len(between.split()) > 10:
                found = None
        if found:
            name, _, end = found
            add(Mention(match.start(), end, name, normalise_role(title, _organisation(between)), "named"))
        else:
            short = _SHORT_NAME_AFTER_TITLE.match(text[after : after + 30])
            kind = "title"
            end = after
            given = None
            if short and short.group(1) not in lexicon.ORGANISATION_HEADS and short.group(1) not in lexicon.SURNAMES:
                given, kind, end = short.group(1), "short", after + short.end()
            add(Mention(match.start(), end, None, Role(title), kind, given))

    # Honorific + name, or honorific + last syllable.
    for match in HONORIFIC_RE.finditer(text):
        named = _name_at(text, match.end())
        if named:
            name, end = named
            role = None
            chain = _chain_after(text, end)
            if chain:
                role = parse_title_chain(chain[0])
                end = chain[1] if role else end
            add(Mention(match.start(), end, name, role, "named"))
        else:
            short = _CAP_WORD_RE.match(text, match.end())
            if short and short.group(0) not in lexicon.SURNAMES:
                add(Mention(match.start(), short.end(), None, None, "short", short.group(0)))

    # Name + title chain ("Nguyễn Xuân Phúc, Ủy viên Bộ Chính trị, Thủ tướng Chính phủ").
    for run in _NAME_RUN.finditer(text):
        named = _name_at(text, run.start())
        if not named:
            continue
        name, end = named
        if text[max(0, run.start() - 5) : run.start()].strip().lower() in {"báo", "tờ", "đường", "phố", "số"}:
            continue
        chain = _chain_after(text, end)
        role = parse_title_chain(chain[0]) if chain else None
        add(Mention(run.start(), chain[1] if role else end, name, role, "named"))

    # Descriptions standing for a person named earlier.
    for match in REFERENCE_RE.finditer(text):
        title = lexicon.ROLE_REFERENCES[match.group(1)]
        add(Mention(match.start(), match.end(), None, Role(title), "reference"))

    # Overlapping readings: a named mention with a role beats a bare name, which
    # beats a title or reference; among equals the longer span wins.
    def priority(mention: Mention) -> tuple[int, int]:
        rank = 0 if mention.name and mention.role else 1 if mention.name else 2
        return rank, -(mention.end - mention.start)

    # The mentions kept never overlap, so sorted by start their ends are sorted too: a candidate
    # overlaps one of them only if it overlaps its neighbours in that order.
    mentions: list[Mention] = []
    starts: list[int] = []
    for candidate in sorted(candidates, key=priority):
        at = bisect.bisect_right(starts, candidate.start)
        if (at and mentions[at - 1].end > candidate.start) or (at < len(starts) and starts[at] < candidate.end):
            continue
        mentions.insert(at, candidate)
        starts.insert(at, candidate.start)
    return mentions


def resolve(mentions: list[Mention]) -> dict[str, Person]:
    """Fill in names of references from earlier mentions; return the people by name.

    A bare title refers to the latest person introduced with exactly that
    title; a short name to the person whose name ends with it.
    """
    people: dict[str, Person] = {}
    latest_by_title: dict[str, str] = {}
    for mention in mentions:
        if mention.kind == "named" and mention.name:
            person = people.setdefault(mention.name, Person(mention.name))
            if mention.role and mention.role not in person.roles:
                person.roles.append(mention.role)
            for role in person.roles[:1] if not mention.role else [mention.role]:
                latest_by_title[role.title] = person.name
            continue
        if mention.given:
            matches = [name for name in people if name.split()[-1] == mention.given]
            if len(matches) == 1:
                mention.name = matches[0]
            continue
        if mention.role and mention.role.title in latest_by_title:
            mention.name = latest_by_title[mention.role.title]
    # Roles may be introduced after the first bare mention ("Thủ tướng … Thủ tướng
    # Phạm Minh Chính"): resolve the stragglers against the final state.
    for mention in mentions:
        if mention.name is None and mention.role and not mention.given:
            mention.name = latest_by_title.get(mention.role.title)
    return people
