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
from articles.extraction.gazetteer import is_place_name
from articles.extraction.normalize import canonical_tones, fold

UPPER = "A-ZÀÁẢÃẠĂẮẰẲẴẶÂẤẦẨẪẬĐÈÉẺẼẸÊẾỀỂỄỆÌÍỈĨỊÒÓỎÕỌÔỐỒỔỖỘƠỚỜỞỠỢÙÚỦŨỤƯỨỪỬỮỰỲÝỶỸỴ"
_CAP_WORD = rf"[{UPPER}][^\W\d_]*(?:-[^\W\d_]+)?"  # "Chul-ung": a hyphen joins a foreign name's parts
_NAME_RUN = re.compile(rf"{_CAP_WORD}(?:\s+{_CAP_WORD})*")


def _alternation(words) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_TITLE = rf"(?:(?:{_alternation(lexicon.TITLE_PREFIXES)})\s+)?(?:{_alternation(lexicon.TITLES)})"
TITLE_RE = re.compile(rf"(?<![\w])(?<!Phó )(?<!Tổng )(?<!Phó Tổng )({_TITLE})(?![\w])")
HONORIFIC_RE = re.compile(rf"(?<![\w])({_alternation(lexicon.HONORIFICS)})\s+(?={_CAP_WORD})")
_CHAIN_END = re.compile(
    rf"[;\n:“”\"]|\.(?!\w)|\s(?:(?:{_alternation(lexicon.SPEECH_ADVERBS)})\s+)*"
    rf"(?:{_alternation(lexicon.SPEECH_VERBS)}|tham dự|và các|cùng)(?![\w])|$"
)
_CHAIN_ITEM_STARTS = (*lexicon.PARTY_TITLES, *lexicon.TITLE_PREFIXES, "kiêm")  # "kiêm Chủ tịch Hiệp hội …"
_JOINED_PERSON = re.compile(rf"(?:^|\s)(?:và|cùng|với)\s+(?:{_alternation(lexicon.HONORIFICS)})\s*$")
_CLAUSE_ENDS = frozenset([";", ":", ".", "\n", "“", "”", '"', ""])
_TRAILING_HONORIFIC = re.compile(rf"[,\s]*(?:(?<!\w)(?:{_alternation(lexicon.HONORIFICS)}))?\s*$")
# Where the name after a title must have started: the end of the clause.
_NAME_WINDOW_END = re.compile(r"[;:!?“”\"(]|\.(?!\w)|\s(?:đã|cho|nói|phát|khẳng|nhấn|là|và các)\s")
# "Bộ trưởng Dũng": one capitalised word after a title, with no other capitalised word following.
_SHORT_NAME_AFTER_TITLE = re.compile(rf"\s+({_CAP_WORD}(?:\s+{_CAP_WORD})?)(?!\s*{_CAP_WORD})")
_CAP_WORD_RE = re.compile(_CAP_WORD)
_CHAIN_SEPARATOR = re.compile(r"\s*(?:,|[-–])\s*")
REFERENCE_RE = re.compile(rf"(?<![\w])({_alternation(lexicon.ROLE_REFERENCES)})(?:\s+(?:TT&TT|{_CAP_WORD}))?")
# The organisation written after a bare title ("Chủ tịch UBND TP", "Bộ trưởng Bộ Tài nguyên và Môi
# trường", "Chủ tịch UBND thành phố"): capitalised words, abbreviations and the lower-case words of
# administrative names, never a verb. It belongs to the mention, so the verb after it is found.
_ORG_WORD = rf"(?:{_alternation(lexicon.ORGANISATION_WORDS)}|[{UPPER}][\w&\-]*(?:\.[\w&\-]+)*)"
# Lower-case words belong to the name only between capitalised ones ("Hội Nhà báo Việt Nam"), and
# never a verb or connective ("Giám đốc Sở Y tế cho biết Hà Nội …" ends at "tế").
_NOT_IN_NAME = rf"(?:{_alternation([*lexicon.SPEECH_VERBS, *lexicon.SPEECH_ADVERBS, *lexicon.CLAUSE_WORDS])})(?![\w])"
_LOWER_IN_NAME = rf"(?:(?!{_NOT_IN_NAME})[^\W\d_{UPPER}]+)"
ORG_TAIL_RE = re.compile(
    rf"(?:\s+{_ORG_WORD}(?:\s+và\s+(?=[{UPPER}]))?|\s+{_LOWER_IN_NAME}(?:\s+{_LOWER_IN_NAME}){{0,2}}(?=\s+[{UPPER}]))+"
)
# "Tổng Bí thư, Chủ tịch nước": two titles of one person written as one reference.
_TITLE_JOIN_RE = re.compile(r"\s*(?:,|kiêm)\s*")
# "ông nói", "bà cho biết": a pronoun standing for someone named before.
PRONOUN_RE = re.compile(rf"(?<![\w])({_alternation(lexicon.PRONOUNS)})(?![\w])(?!\s+[{UPPER}])")
_PRONOUN_SPEAKS = re.compile(
    rf"\s+(?:(?:{_alternation(lexicon.SPEECH_ADVERBS)})\s+)*(?:{_alternation(lexicon.SPEECH_VERBS)})(?![\w])"
)


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
    kind: str = "named"  # named | title | reference | short | pronoun | unknown (a name we cannot read)
    given: str | None = None  # for "short" mentions: the syllable that ends the name ("ông Lịch")
    gender: str | None = None  # "f" / "m" when the words say so (bà, ông, "Thị" in the name)
    also: tuple[str, ...] = ()  # other titles written with this one ("Tổng Bí thư, Chủ tịch nước")
    cut: bool = False  # the name is followed by an ellipsis: a truncated text cut it short
    object_of_preposition: bool = False  # "cho Trump", "với ông A": not a subject a pronoun can stand for


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
            if (
                2 <= len(candidate) <= 5
                and not is_place_name(" ".join(candidate))
                and " ".join(candidate[:2]) not in lexicon.LUNAR_YEARS
            ):
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
    if named_after(text, pos):
        return None
    name_words = _trim_sentence_start(words)[:5]
    if len(name_words) < 2 or is_place_name(" ".join(name_words)) or " ".join(name_words[:2]) in lexicon.LUNAR_YEARS:
        return None
    name = " ".join(name_words)
    return canonical_tones(name), pos + len(name)


_CUE_BEFORE = re.compile(rf"(?:^|[\s(,])(?:{_alternation(lexicon.NAMED_AFTER_CUES)})\s+$", re.IGNORECASE)


def named_after(text: str, pos: int) -> bool:
    """A capitalised run at `pos` names a street, school, club or place (``đường Trần Phú``)."""
    return bool(_CUE_BEFORE.search(text[max(0, pos - 20) : pos]))


def _organisation(text: str) -> str:
    text = text.strip(" ,-–")
    return re.sub(r"^(?:của|tại)\s+", "", text)


def normalise_role(title: str, organisation: str) -> Role:
    organisation = re.sub(r"(?:\s+(?:và|của|các|về))+\s*$", "", organisation.strip(" ,;-–")).strip(" ,;-–")
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
            if _names_someone(item[match.end() :]):
                return None  # "X, Phó Thủ tướng Trịnh Đình Dũng": a list of people, not X's role
            # The organisation is the name-like words after the title, never the clause that
            # follows it ("Giám đốc ôn lại chặng đường …" → Giám đốc).
            tail = ORG_TAIL_RE.match(item, match.end())
            return normalise_role(match.group(1), tail.group(0) if tail else "")
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
    end = end_match.start()
    if end_match.group(0).strip() not in _CLAUSE_ENDS:
        return text[start:end], end  # the chain runs up to its verb ("…, Giám đốc Sở Y tế, cho biết")
    # No verb in the sentence ("Theo ông X, Giám đốc Sở Y tế, bệnh viện sẽ …"): the chain stops at
    # the first item that is not a title; what follows is the sentence, not the role.
    position = start
    for item in re.finditer(r"(?:\([^)]*\)|[^,(])+", text[start:end]):
        words = item.group(0).strip()
        if words and not (TITLE_RE.match(words) or words.startswith(_CHAIN_ITEM_STARTS)):
            end = position
            break
        position = start + item.end()
    return text[start:end], end


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
            if _JOINED_PERSON.search(between):
                found = None  # "bầu giữ chức Chủ tịch nước và ông X": X is another person, not the holder
            between = _TRAILING_HONORIFIC.sub("", between)
            # "Tổng thống Mỹ Donald Trump sẽ tiếp đón Thủ tướng Nguyễn Xuân Phúc": another title, a
            # verb or someone else's name between a title and a name means they are not one person's.
            # A second title of the same person may be joined on ("Bộ trưởng - Chủ nhiệm Văn phòng …").
            rest = _JOINED_TITLE.sub("", between, count=1)
            if (
                "," in between.strip(", ")
                or len(between.split()) > 10
                or TITLE_RE.search(rest)
                or _CLAUSE_WORD_RE.search(between)
                or _names_someone(between)
            ):
                found = None
        if found:
            name, _, end = found
            organisation, also = _organisation(between), ()
            if second := TITLE_RE.match(organisation):  # "Tổng Bí thư, Chủ tịch nước Tô Lâm"
                also, title, organisation = (title,), second.group(1), organisation[second.end() :]
            role = normalise_role(title, organisation)
            name = canonical_tones(name)
            # "Trung tá X, Đội phó Đội Điều tra, Phòng Cảnh sát hình sự cho biết": the titles after
            # the name belong to the mention, so the verb after them is found.
            if (chain := _chain_after(text, end)) and (working := parse_title_chain(chain[0])):
                end = chain[1]
                if title in lexicon.RANKS_AND_DEGREES:
                    role = working
            add(Mention(match.start(), end, name, role, "named", gender=_gender_of(name), also=also))
        else:
            add(_bare_title(text, match.start(), after, title))

    # Honorific + name, or honorific + last syllable.
    for match in HONORIFIC_RE.finditer(text):
        if match.group(1)[0].isupper() and re.search(
            rf"[{UPPER}][^\W\d_]*\s+$", text[max(0, match.start() - 12) : match.start()]
        ):
            continue  # "quận Hai Bà Trưng": a capitalised "Bà" after a capitalised word is inside a name
        named = _name_at(text, match.end())
        if named:
            name, end = named
            role = None
            chain = _chain_after(text, end)
            if chain:
                role = parse_title_chain(chain[0])
                end = chain[1] if role else end
            gender = lexicon.PRONOUNS.get(match.group(1)) or _gender_of(name)
            add(Mention(match.start(), end, name, role, "named", gender=gender))
        else:
            short = _CAP_WORD_RE.match(text, match.end())
            if short and short.group(0) not in lexicon.SURNAMES:
                gender = lexicon.PRONOUNS.get(match.group(1))
                add(Mention(match.start(), short.end(), None, None, "short", short.group(0), gender))

    # Name + title chain ("Nguyễn Xuân Phúc, Ủy viên Bộ Chính trị, Thủ tướng Chính phủ").
    for run in _NAME_RUN.finditer(text):
        # The name starts at the run's first surname ("Chuyên khoa II Nguyễn Hồng Trường").
        first = _first_surname(run.group(0))
        named = _name_at(text, run.start() + first) if first is not None else None
        if not named:
            continue
        name, end = named
        chain = _chain_after(text, end)
        role = parse_title_chain(chain[0]) if chain else None
        add(Mention(run.start() + first, chain[1] if role else end, name, role, "named", gender=_gender_of(name)))

    # "…”, bà nói." / "Theo ông, …": a pronoun for someone named before.
    for match in PRONOUN_RE.finditer(text):
        if _PRONOUN_SPEAKS.match(text, match.end()) or (
            text[max(0, match.start() - 5) : match.start()].endswith(("Theo ", "theo "))
            and text[match.end() : match.end() + 1] in ",:"
        ):
            gender = lexicon.PRONOUNS[match.group(1)]
            add(Mention(match.start(), match.end(), None, None, "pronoun", gender=gender))

    # Foreign names in Latin letters ("HLV Frank Bernhardt", "Jeremy Schwartz - giám đốc …",
    # "John Duerden rất ấn tượng …"): people, whose names start with no Vietnamese surname.
    for run in FOREIGN_NAME_RE.finditer(text):
        # A place at the head of the run is no part of a name ("Tổng thống Ukraine Volodymyr Zelensky",
        # "bang Virginia Tim Kaine", "báo Tây Ban Nha Marca").
        place = _leading_place(text, run)
        if place:
            run = FOREIGN_NAME_RE.match(text, run.start() + len(place) + 1)
            if run is None:
                continue
        if found := _foreign_mention(text, run):
            add(found)

    # Descriptions standing for a person named earlier.
    for match in REFERENCE_RE.finditer(text):
        title = lexicon.ROLE_REFERENCES[match.group(1)]
        add(Mention(match.start(), match.end(), None, Role(title), "reference"))

    # "Bộ Giáo dục và Đào Tạo": a name inside an organisation's name is no one.
    candidates = [c for c in candidates if not _inside_organisation(text, c)]

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
    for mention in mentions:
        mention.cut = text[mention.end : mention.end + 5].lstrip().startswith(("…", "..."))
        mention.object_of_preposition = bool(
            _PREPOSITION_BEFORE.search(text[max(0, mention.start - 8) : mention.start])
        )
    return _join_titles(text, mentions)


# Two to four words in Latin letters without Vietnamese marks, each capitalised, particles allowed.
FOREIGN_NAME_RE = re.compile(
    r"(?<![\w.&-])[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)?"
    r"(?:\s+(?:(?:de|van|von|der|da|di|bin|al|le|la|del|dos)\s+)?[A-Z][a-z]+(?:[-'][A-Za-z][a-z]+)?){1,3}(?![\w&])"
)
_TITLE_BEFORE = re.compile(
    rf"(?:{_TITLE}|{_alternation(lexicon.HONORIFICS)}|dẫn lời|theo)(?:\s+[{UPPER}][^\W\d_]*)?\s+$"
)
_SUBJECT_AFTER = re.compile(rf"\s+[^\W\d_{UPPER}]")  # the run is followed by a lower-case word: it is a subject


def _leading_place(text: str, run: re.Match) -> str:
    """The words at the head of `run` that are, or complete with the word before them, a place."""
    words = run.group(0).split()
    before = _word_before(text, run.start())
    for count in (2, 1):
        head = " ".join(words[:count])
        if len(words) > count - 1 and (is_place_name(head) or is_place_name(f"{before} {head}")):
            return head
    if named_after(text, run.start()):
        return words[0]
    return ""


def _word_before(text: str, position: int) -> str:
    words = text[max(0, position - 20) : position].split()
    return words[-1] if words else ""


def _names_someone(text: str) -> bool:
    """A person's name inside `text` (Vietnamese, or foreign and not a company's)."""
    if any(name_in_run(run.group(0)) for run in _NAME_RUN.finditer(text)):
        return True
    return any(
        not lexicon.FOREIGN_ORGANISATION_WORDS.intersection(run.group(0).split()) and not is_place_name(run.group(0))
        for run in FOREIGN_NAME_RE.finditer(text)
    )


def _first_surname(run: str) -> int | None:
    """Where a name starts in a run of capitalised words: its first surname that does not end a
    place (``Sở Y tế An Giang Lương Hữu Khánh``: "Giang" ends "An Giang", the name starts at "Lương")."""
    previous = ""
    for word in _CAP_WORD_RE.finditer(run):
        if word.group(0) in lexicon.SURNAMES and not (previous and is_place_name(f"{previous} {word.group(0)}")):
            return word.start()
        previous = word.group(0)
    return None


_PREPOSITION_BEFORE = re.compile(r"(?<![\w])(?:cho|với|của|về|tới|đến)\s+$")
_ORGANISATION_HEAD_BEFORE = re.compile(rf"(?:{_alternation(lexicon.ORGANISATION_HEADS)})\s+$")
_CAPITAL_HONORIFICS = frozenset(["Anh", "Chị", "Ông", "Bà", "Em", "Cô", "Chú", "Bác", "Cụ"])


def _foreign_mention(text: str, run: re.Match) -> Mention | None:
    """A foreign person's name, when the words around it say it is a person: a title or honorific
    before it, a title chain after it, or a place at the head of its sentence followed by the
    sentence's verb. Places and company names in Latin letters are refused."""
    name = run.group(0)
    words = name.split()
    if (
        lexicon.FOREIGN_ORGANISATION_WORDS.intersection(words)
        or is_place_name(name)
        or words[0] in lexicon.SURNAMES
        or words[0] in lexicon.SENTENCE_STARTERS  # "Theo Politico, …": a Vietnamese word opening the sentence
        or words[0] in _CAPITAL_HONORIFICS  # "Anh Vinh thốt lên": an honorific and a name without marks
        or named_after(text, run.start())  # "Tập đoàn Hoa Sen đề xuất": a company
        or is_place_name(_word_before(text, run.start()) + " " + name)  # "Tây Ban Nha"
        or _ORGANISATION_HEAD_BEFORE.search(text[max(0, run.start() - 20) : run.start()])
    ):
        return None
    before = text[max(0, run.start() - 40) : run.start()]
    if title := _TITLE_BEFORE.search(before):
        start = run.start() - len(before) + title.start()
        role_match = TITLE_RE.match(text, start)
        role = normalise_role(role_match.group(1), "") if role_match else None
        gender = lexicon.PRONOUNS.get(text[start : start + 3].strip())
        return Mention(start, run.end(), name, role, "named", gender=gender)
    if _PRONOUN_SPEAKS.match(text, run.end()):  # "thượng nghị sĩ bang Virginia Tim Kaine nói: …"
        return Mention(run.start(), run.end(), name, None, "named")
    opens_sentence = not before.strip() or before.rstrip()[-1] in ".!?\n:;"
    opens_clause = opens_sentence or before.rstrip()[-1] == ","
    chain = _chain_after(text, run.end()) if opens_clause else None
    # "X, Tổng thống Donald Trump …": a title followed by a name is that other person's.
    if chain and not _names_someone(chain[0]) and (role := parse_title_chain(chain[0])):
        return Mention(run.start(), chain[1], name, role, "named")
    if opens_sentence and _SUBJECT_AFTER.match(text, run.end()):
        return Mention(run.start(), run.end(), name, None, "named")
    return None


ORGANISATION_LINKS = frozenset(["và", "của", "các", "về"])
# Words that end an organisation's name and go on with the clause ("và", "của", "các" belong to names).
_CLAUSE_WORDS = [w for w in (*lexicon.CLAUSE_WORDS, *lexicon.SPEECH_VERBS) if w not in ORGANISATION_LINKS]
_CLAUSE_WORD_RE = re.compile(rf"(?<![\w])(?:{_alternation(_CLAUSE_WORDS)})(?![\w])")
_JOINED_TITLE = re.compile(rf"^\s*(?:[-–,]|kiêm)\s*{_TITLE}")


_ORGANISATION_NAME_RE = re.compile(
    rf"(?<![\w])(?:{_alternation([w for w in lexicon.ORGANISATION_WORDS if ' ' in w])})(?![\w])", re.IGNORECASE
)


def _inside_organisation(text: str, mention: Mention) -> bool:
    """The mention's name lies inside an organisation's name written around it."""
    if not mention.name or mention.kind != "named":
        return False
    name_start = text.find(mention.name.split()[0], mention.start, mention.end)
    if name_start < 0:
        return False
    name_end = name_start + len(mention.name)
    window_start = max(0, name_start - ORGANISATION_REACH)
    window = text[window_start : name_end + ORGANISATION_REACH]
    return any(
        window_start + m.start() < name_end and name_start < window_start + m.end()
        for m in _ORGANISATION_NAME_RE.finditer(window)
    )


ORGANISATION_REACH = 40  # characters: longer than any organisation phrase in the lexicon


def _gender_of(name: str) -> str | None:
    return "f" if lexicon.FEMALE_NAME_WORDS.intersection(name.split()[1:-1]) else None


_ORGANISATION_FOLLOWS = re.compile(rf"\s+(?i:{_alternation(lexicon.ORGANISATION_WORDS)})(?![\w])")


def _bare_title(text: str, start: int, after: int, title: str) -> Mention:
    """A title with no full name: ``Bộ trưởng Dũng``, ``Chủ tịch UBND TP``, ``Thủ tướng``."""
    rest = text[after : after + 60]
    short = _SHORT_NAME_AFTER_TITLE.match(rest)
    organisation_follows = _ORGANISATION_FOLLOWS.match(rest)
    first = short.group(1).split()[0] if short else ""
    if (
        short
        and not organisation_follows
        and first not in lexicon.ORGANISATION_HEADS
        and first not in lexicon.SURNAMES
        and not first.isupper()
        # a place of several syllables ("Bộ trưởng Hà Nội" never); one syllable (Vinh, Huế) is a given name too
        and not (" " in short.group(1) and is_place_name(short.group(1)))
    ):
        return Mention(start, after + short.end(), None, Role(title), "short", short.group(1))
    tail = ORG_TAIL_RE.match(text, after)
    organisation, end = "", after
    if tail:
        words = tail.group(0).split()
        # Stop before a person's name ("Bộ trưởng Bộ Y tế Nguyễn …" whose name was refused above).
        kept = []
        for index, word in enumerate(words):
            foreign_name = (
                index + 1 < len(words)
                and FOREIGN_NAME_RE.fullmatch(f"{word} {words[index + 1]}")
                and not lexicon.FOREIGN_ORGANISATION_WORDS.intersection(words[index : index + 2])
                and not is_place_name(word)
            )
            if foreign_name or (word in lexicon.SURNAMES and index + 1 < len(words) and words[index + 1][:1].isupper()):
                # "đại biểu Dương Trung Quốc": someone is named here whose name we cannot read (it
                # ends like a place): a person of their own, never a reference to someone before.
                unread = _NAME_RUN.match(text, text.index(word, after))
                return Mention(start, unread.end(), None, normalise_role(title, " ".join(kept)), "unknown")
            kept.append(word)
        if kept:
            organisation = " ".join(kept)
            end = text.index(kept[-1], after) + len(kept[-1])
    return Mention(start, end, None, normalise_role(title, organisation), "title")


def _join_titles(text: str, mentions: list[Mention]) -> list[Mention]:
    """``Tổng Bí thư, Chủ tịch nước (Tô Lâm)``: two titles of one person are one mention."""
    joined: list[Mention] = []
    for mention in mentions:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.kind == "title"
            and mention.role is not None
            and mention.kind in {"title", "named"}
            and _TITLE_JOIN_RE.fullmatch(text[previous.end : mention.start])
        ):
            titles = (previous.role.title, *previous.also)
            joined[-1] = Mention(
                previous.start,
                mention.end,
                mention.name,
                mention.role,
                mention.kind,
                mention.given,
                mention.gender,
                titles,
            )
            continue
        joined.append(mention)
    return joined


def resolve(mentions: list[Mention], *, quoted: list[tuple[int, int]] = ()) -> dict[str, Person]:
    """Fill in names of references from earlier mentions; return the people by name.

    A bare title (``Thủ tướng``, ``Chủ tịch UBND TP``, ``Tổng Bí thư, Chủ tịch nước``) refers to
    the one person seen with that title and a compatible organisation; when two people fit, it
    stays unresolved. A short name (``ông Lịch``) refers to the one person whose name ends so; a
    pronoun (``bà nói``) to the last person named whose gender agrees.
    """
    people: dict[str, Person] = {}
    genders: dict[str, str] = {}
    seen: list[Mention] = []
    _merge_cut_names(mentions)
    for mention in mentions:
        if mention.kind == "named" and mention.name:
            person = people.setdefault(mention.name, Person(mention.name))
            if mention.role and mention.role not in person.roles:
                person.roles.append(mention.role)
            for title in mention.also:
                if all(role.title != title for role in person.roles):
                    person.roles.append(Role(title))
            if mention.gender:
                genders.setdefault(mention.name, mention.gender)
        elif mention.given:
            given = canonical_tones(mention.given)
            matches = [name for name in people if name == given or name.endswith(" " + given)]
            if len(matches) > 1 and mention.role:  # "Thứ trưởng Vinh": the Vinh who is Thứ trưởng
                matches = [name for name in matches if _holds(people[name], mention.role.title, "")]
            mention.name = matches[0] if len(matches) == 1 else None
        elif mention.kind == "pronoun":
            mention.name = _pronoun_referent(mention, seen, genders, quoted)
        elif mention.role:
            mention.name = _title_referent(mention, people)
        seen.append(mention)
    # Roles may be introduced after the first bare mention ("Thủ tướng … Thủ tướng
    # Phạm Minh Chính"): resolve the stragglers against the final state.
    for mention in mentions:
        if mention.name is None and mention.role and mention.kind in {"title", "reference"}:
            mention.name = _title_referent(mention, people)
    return people


def _merge_cut_names(mentions: list[Mention]) -> None:
    """A name cut short (``Thủ tướng Nguyễn Xuân …`` in a truncated lede) is the one longer name it
    starts; two given names (``Phương Thủy``) are the one full name they end."""
    names = {m.name for m in mentions if m.kind == "named" and m.name}
    for mention in mentions:
        if mention.kind != "named" or not mention.name or not mention.cut:
            continue  # (cut names only; given names are merged below)
        longer = [name for name in names if name.startswith(mention.name + " ")]
        if len(longer) == 1:
            mention.name = longer[0]
    # "Phương Thủy" after "Đỗ Phương Thủy": the given names stand for the one full name ending so.
    for mention in mentions:
        if mention.kind == "named" and mention.name and len(mention.name.split()) == 2:
            fuller = [
                name for name in names if name.lower().endswith(" " + mention.name.lower()) and len(name.split()) > 2
            ]
            if len(fuller) == 1:
                mention.name = fuller[0]


def _holds(person: Person, title: str, organisation: str) -> bool:
    return any(
        (role.title == title or role.title.startswith(title + " "))
        and _same_organisation(role.organisation, organisation)
        for role in person.roles
    )


_ORGANISATION_SPELLINGS = (("thanh pho", "tp"), ("uy ban nhan dan", "ubnd"), ("tp.", "tp "), ("chinh phu", ""))


def _organisation_key(organisation: str) -> str:
    key = fold(organisation)
    for long, short in _ORGANISATION_SPELLINGS:
        key = key.replace(long, short)
    return " ".join(key.replace("bo ", "").split())


def _same_organisation(held: str, written: str) -> bool:
    """``TP`` fits ``TP Hà Nội``; ``Bộ Y tế`` fits ``Y tế``; a missing organisation fits any."""
    a, b = _organisation_key(held), _organisation_key(written)
    return not a or not b or a.startswith(b) or b.startswith(a) or b in a


def _title_referent(mention: Mention, people: dict[str, Person]) -> str | None:
    titles = (mention.role.title, *mention.also)
    organisation = mention.role.organisation
    fitting = [name for name, person in people.items() if all(_holds(person, title, organisation) for title in titles)]
    return fitting[0] if len(fitting) == 1 else None


PRONOUN_REACH = 1500  # characters: a pronoun further than this from any name refers to nobody we know


def _pronoun_referent(
    mention: Mention, seen: list[Mention], genders: dict[str, str], quoted: list[tuple[int, int]] = ()
) -> str | None:
    """The last person mentioned whose gender agrees; none when that last mention is someone we
    cannot name (``Chủ tịch Tập đoàn X … Ông cho biết``: not the minister named before)."""
    for earlier in reversed(seen):
        if mention.start - earlier.end > PRONOUN_REACH:
            return None
        if earlier.object_of_preposition:
            continue  # "làm việc cho Trump, ông giải thích": "ông" is not Trump
        if any(start <= earlier.start < end for start, end in quoted):
            continue  # "“… như ông Trần Văn Truyền …”, ông nói": someone the speaker talks about
        gender = genders.get(earlier.name) if earlier.name else earlier.gender
        if gender is not None and gender != mention.gender:
            continue  # "bà" never stands for a man named with "ông", and back
        if mention.gender == "f" and gender is None and earlier.name:
            continue  # a name that says nothing of gender is not taken for "bà"
        return earlier.name
    return None
