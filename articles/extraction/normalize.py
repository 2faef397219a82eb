"""Text normalisation shared by extraction, loading and search.

Three layers, each for its own purpose:

* `clean_text`: what the archive stores and shows (NFC, tidy whitespace,
  tone marks as the outlet wrote them).
* `canonical_tones`: one tone-mark placement convention, for matching and
  search (``hoá`` and ``hóa`` become the same string).
* `fold`: no diacritics at all and lower case, like PostgreSQL's `unaccent`,
  for keys, slugs and diacritic-insensitive comparison.
"""

import re
import unicodedata

# Tone marks as combining characters (NFD): grave, acute, hook, tilde, dot below.
_TONES = "\u0300\u0301\u0309\u0303\u0323"

# Open syllables ending in oa, oe, uy carry the tone on either vowel depending
# on the writer's convention (hoà/hòa, khoẻ/khỏe, thuỷ/thủy). We put it on the
# first vowel ("old style"), which most Vietnamese news text uses. The rewrite
# applies only at the end of a syllable, since in closed syllables (hoàng,
# huyền) both conventions agree, and never after q, where u belongs to the
# consonant (quý).
_NEW_STYLE = re.compile(
    rf"(?<![qQ])([oO]|[uU])([{_TONES}])?([aAeEyY])([{_TONES}])(?![^\W\d_])",
)


def _move_tone(match: re.Match) -> str:
    first, first_tone, second, second_tone = match.groups()
    if first_tone:  # already has a mark on the first vowel: leave it alone
        return match.group(0)
    pair = (first + second).lower()
    if pair not in {"oa", "oe", "uy"}:
        return match.group(0)
    return f"{first}{second_tone}{second}"


def canonical_tones(text: str) -> str:
    """Put tone marks in one place: ``hoá`` → ``hóa``, ``Uỷ`` → ``Ủy``; ``quý`` unchanged."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", _NEW_STYLE.sub(_move_tone, decomposed))


_QUOTE_CHARS = {"\u201e": "\u201c", "\u00ab": "\u201c", "\u00bb": "\u201d", "\u2033": '"'}
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# C0 controls but tab and line breaks, and DEL: no text holds them on purpose, PostgreSQL text cannot
# hold NUL and XML 1.0 (the feeds) none of them.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")


def clean_text(text: str) -> str:
    """NFC, no invisible characters, one space between words, trimmed lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    # A control character becomes a space, in case one stood between two words.
    text = CONTROL_CHARACTERS.sub(" ", _INVISIBLE.sub("", text.replace("\x00", "")))
    for variant, quote in _QUOTE_CHARS.items():  # str.replace: much faster than translate() on long texts
        text = text.replace(variant, quote)
    return "\n".join(line.strip() for line in _SPACES.sub(" ", text).split("\n"))


def fold(text: str) -> str:
    """Lower case without diacritics: ``Đà Nẵng`` → ``da nang``."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


# Search text: lower case without depending on the database's locale, and the
# tone-mark pairs folded by plain substitution. The substitution also rewrites
# closed syllables (hoàng → hòang): harmless, since documents and queries go
# through the same function, and it is a plain string homomorphism that
# PostgreSQL can run in an immutable function (migration 0003 has the same
# table; tests/test_search_engine.py checks they agree).
UPPER_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
LOWER_LETTERS = "abcdefghijklmnopqrstuvwxyzàáâãèéêìíòóôõùúýăđĩũơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
TONE_PAIRS = (
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
)
_LOWER_TABLE = str.maketrans(UPPER_LETTERS, LOWER_LETTERS)


def search_canonical(text: str) -> str:
    """What the accent-sensitive search index sees: ``Thương mại hoá`` → ``thương mại hóa``."""
    text = unicodedata.normalize("NFC", text).translate(_LOWER_TABLE)
    for written, canonical in TONE_PAIRS:
        text = text.replace(written, canonical)
    return text


def has_diacritics(word: str) -> bool:
    return fold(word) != word.lower()


def match_key(text: str) -> str:
    """Comparable form of a passage: canonical tones, lower case, letters and digits only."""
    words = re.findall(r"[^\W_]+", canonical_tones(unicodedata.normalize("NFC", text)).lower())
    return " ".join(words)
