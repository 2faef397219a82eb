"""Reference facts the extraction rules look up: places, office holders, National Assembly terms.

The facts are data files in ``data/`` beside this module, for editors to review and extend:

* ``places.txt``: one place name per line, ``#`` lines are comments. Names after the
  ``# single-syllable`` line (the last section) are one syllable that is also a common word
  or given name (``Mỹ``, ``Anh``, ``Vinh``); all the others are multi-syllable, including
  loanwords written as one word (``Campuchia``, ``Ô-xtrây-li-a``).
* ``offices.json``: a list of ``{"title", "name", "start", "end"}`` records (ISO dates; optional
  ``acting`` and ``note``). ``end`` is the day the successor took over, exclusive; null for
  the holder now.
* ``national_assembly.json``: the terms (khóa) with their regular sessions (kỳ họp).

Each file is read once, on first use; the functions are pure.
"""

import datetime as dt
import functools
import json
import re
from importlib.resources import files

from articles.extraction.normalize import canonical_tones

_DATA = files("articles.extraction") / "data"
_SINGLE_SECTION = "# single-syllable"
_DASHES = re.compile("[\u2013\u2014]")  # en and em dash between names: "Bà Rịa – Vũng Tàu"


def _words(text: str) -> tuple[str, ...]:
    """Lower-case words in one tone-mark placement, dashes between names dropped."""
    words = _DASHES.sub(" ", canonical_tones(text)).lower().split()
    return tuple(word for word in words if word != "-")


@functools.cache
def _places() -> tuple[frozenset[str], frozenset[tuple[str, ...]], int, frozenset[str]]:
    """(multi-syllable names as written, their word keys, the most words in one, single-syllable keys)."""
    multi: set[str] = set()
    single: set[str] = set()
    in_single = False
    for raw in (_DATA / "places.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line == _SINGLE_SECTION:
            in_single = True
        elif line and not line.startswith("#"):
            (single if in_single else multi).add(line)
    keys = frozenset(_words(name) for name in multi)
    return frozenset(multi), keys, max(map(len, keys)), frozenset(_words(word)[0] for word in single)


def place_names() -> frozenset[str]:
    """The multi-syllable place names, as written in ``places.txt``."""
    return _places()[0]


@functools.lru_cache(maxsize=4096)  # asked for the same candidate names again and again while parsing
def is_place_name(name: str) -> bool:
    """Whether `name` is a place: ``Thái Lan``, ``Thanh Hoá``, ``Gia Lai - Kon Tum``; not ``Hà Văn Tuấn``.

    Case and tone-mark placement do not matter. The name must be one multi-syllable place or a
    run of them (a place followed only by other places); a single-syllable entry (``Mỹ``,
    ``Anh``) matches only when it is the whole name.
    """
    _, keys, longest, single = _places()
    words = _words(name)
    if not words:
        return False
    if len(words) == 1 and words[0] in single:
        return True
    reached = [True] + [False] * len(words)  # reached[i]: words[:i] is a run of places
    for start in range(len(words)):
        if reached[start]:
            for end in range(start + 1, min(len(words), start + longest) + 1):
                reached[end] = reached[end] or words[start:end] in keys
    return reached[-1]


@functools.cache
def _offices() -> tuple[tuple[str, str, dt.date, dt.date | None], ...]:
    """(title, name, start, end) for every record in ``offices.json``, by start date."""
    records = json.loads((_DATA / "offices.json").read_text(encoding="utf-8"))
    rows = (
        (r["title"], r["name"], dt.date.fromisoformat(r["start"]), r["end"] and dt.date.fromisoformat(r["end"]))
        for r in records
    )
    return tuple(sorted(rows, key=lambda row: row[2]))


def office_holders(title: str, on: dt.date) -> list[str]:
    """Who held the office `title` (``Thủ tướng``, ``Chủ tịch nước``…) on the day `on`, acting holders included.

    Usually one name; none for a day between two holders or outside the data.
    """
    key = _words(title)
    return [
        name
        for office, name, start, end in _offices()
        if _words(office) == key and start <= on and (end is None or on < end)
    ]


def terms_of(name: str) -> list[tuple[str, dt.date, dt.date | None]]:
    """Every (title, start, end) that `name` held, earliest first; ``end`` None while in office."""
    key = _words(name)
    return [(office, start, end) for office, holder, start, end in _offices() if _words(holder) == key]


_ROMAN = re.compile(r"M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(text: str) -> int | None:
    """``XIV`` → 14 (any case, surrounding spaces ignored); None unless `text` is a well-formed numeral."""
    numeral = text.strip().upper()
    if not numeral or not _ROMAN.fullmatch(numeral):
        return None
    values = [_ROMAN_VALUES[letter] for letter in numeral]
    return sum(-value if value < after else value for value, after in zip(values, [*values[1:], 0], strict=True))


@functools.cache
def _terms() -> dict[int, dict]:
    data = json.loads((_DATA / "national_assembly.json").read_text(encoding="utf-8"))
    return {term["number"]: term for term in data["terms"]}


def _term(term: int | str) -> dict | None:
    if isinstance(term, str):
        term = int(term.strip()) if term.strip().isdigit() else roman_to_int(term)
    return _terms().get(term) if term is not None else None


def national_assembly_term_years(term: int | str) -> tuple[int, int] | None:
    """(first year, last year) of a National Assembly term given as ``14``, ``"14"`` or ``"XIV"``."""
    found = _term(term)
    return (found["start"], found["end"]) if found else None


def national_assembly_session_year(term: int | str, session: int) -> tuple[int, list[int]] | None:
    """(year, months) of a term's regular session: ``("XIV", 3)`` → ``(2017, [5, 6])``; None if unknown."""
    found = _term(term)
    held = found["sessions"].get(str(session)) if found else None
    return (held["year"], list(held["months"])) if held else None


def national_assembly_sitting_years(month: int) -> set[int]:
    """The years in which a regular session of the National Assembly sat in `month`."""
    return {held["year"] for term in _terms().values() for held in term["sessions"].values() if month in held["months"]}
