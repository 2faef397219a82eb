"""Texts that arrive in another shape than plain prose: an HTML page's source,
or corpus text pre-tokenised with underscores (``Thủ_tướng Nguyễn_Xuân_Phúc``).
Both become plain text for extraction; the raw text is stored as received."""

import re
from html.parser import HTMLParser

_HTML_START = re.compile(r"\A\s*(?:<!doctype html|<html|<head|<body|<\?xml)", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,200}>")
_JOINED_SYLLABLES = re.compile(r"(?<=[^\W\d_])_(?=[^\W\d_])")
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "section",
    "article",
    "blockquote",
    "title",
}
_SKIPPED = {"script", "style", "noscript", "template", "svg", "nav", "footer", "header", "form", "iframe"}


def looks_like_html(text: str) -> bool:
    head = text[:2000]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 10


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "img" and not self.skipping:
            # Kept as a markdown image: its path often carries the date (…/042014/01/…).
            source = dict(attrs).get("src") or ""
            self.parts.append(f"\n![]({source.replace(')', '%29').replace(' ', '%20')})\n")
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED and self.skipping:
            self.skipping -= 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(text: str) -> str:
    """The readable text of an HTML page: scripts, styles and navigation dropped, blocks as lines."""
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def is_pre_tokenised(text: str) -> bool:
    """Word-segmented corpus text joins syllables with underscores; prose almost never does."""
    joined = len(_JOINED_SYLLABLES.findall(text[:20000]))
    return joined >= 10 and joined * 40 >= len(text[:20000].split())


def to_plain_text(text: str) -> tuple[str, str]:
    """(plain text, what was done) for any supported shape."""
    notes = []
    if looks_like_html(text):
        text = html_to_text(text)
        notes.append("HTML page: text extracted")
    if is_pre_tokenised(text):
        text = _JOINED_SYLLABLES.sub(" ", text)
        notes.append("pre-tokenised text: underscores between syllables read as spaces")
    return text, "; ".join(notes)
