"""Direct quotes (in quotation marks) and reported speech, with their speaker.

A quoted span is speech only when a speech verb attributes it:

* after the quote: ``"…" - Thủ tướng nhấn mạnh.``, ``“…”, Thủ tướng nói.``
* before it: ``Bộ trưởng … khẳng định: “…”``, ``Thủ tướng chia sẻ, “…”``
* a quote opening its own sentence right after a sentence whose subject
  speaks (``Thủ tướng nhấn mạnh, … . “Cho nên …”``), at lower confidence;
* a quote paragraph directly continuing an attributed quote paragraph.

Short quoted terms, titles and slogans (``mở cõi``, ``Make in Vietnam``,
``Đúng - Đủ - Sạch - Sống``) are not speech: they lack an adjacent speech verb,
are too short, or follow a naming cue (``tinh thần``, ``chương trình``…). A
quote that cannot be attributed is kept with no speaker, never guessed.
"""

import re
from dataclasses import dataclass

from articles.extraction import lexicon
from articles.extraction.people import Mention

OPENERS = '“"'
CLOSERS = '”"'
MIN_WORDS_ATTRIBUTED = 5
_QUOTE_OR_BREAK = re.compile('[“”"\n]')
MIN_WORDS_CONTEXT = 10

_VERB = rf"(?:{'|'.join(re.escape(v) for v in lexicon.SPEECH_VERBS)})"
_ADVERBS = rf"(?:(?:{'|'.join(re.escape(a) for a in lexicon.SPEECH_ADVERBS)})\s+)*"
_NON_SPEECH_BEFORE = re.compile(rf"(?:{'|'.join(re.escape(c) for c in lexicon.NON_SPEECH_CUES)})\s*[:,]?\s*$")


@dataclass
class QuoteSpan:
    start: int  # offset of the first character inside the marks
    end: int  # offset just past the last character inside the marks
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark (or end of text if unclosed)


@dataclass
class ExtractedQuote:
    text: str
    start: int
    end: int
    speaker: str | None
    direct: bool
    method: str
    confidence: float


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Top-level quoted spans; nested quotes stay inside their quote.

    Curly marks nest by depth. A straight mark opens when it follows a space,
    an opening bracket or the start of a line, and closes otherwise, so mixed
    ``"…”`` pairs work too.
    """
    spans: list[QuoteSpan] = []
    depth = 0
    open_at = 0
    for found in _QUOTE_OR_BREAK.finditer(text):
        index, char = found.start(), found.group(0)
        if char == "\n":
            depth = 0
            continue
        before = text[index - 1] if index else "\n"
        after = text[index + 1] if index + 1 < len(text) else "\n"
        opens_straight = char == '"' and (before.isspace() or before in "([{:-–,“") and not after.isspace()
        if char == "“" or opens_straight:
            if depth == 0:
                open_at = index
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append(QuoteSpan(open_at + 1, index, open_at, index))
    # A paragraph break inside curly quotes (multi-paragraph quote) resets nothing
    # here: paragraphs are processed separately by the caller.
    return spans


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


def _mention_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for mention in mentions:
        if start <= mention.start < end:
            return mention
    return None


def _after_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``”, Thủ tướng nói.`` / ``” - Bộ trưởng Nguyễn Mạnh Hùng khẳng định.``"""
    tail = text[span.close_at + 1 : span.close_at + 200]
    lead = re.match(r"\s*[.,]?\s*(?:[-–—]\s*)?", tail)
    pos = span.close_at + 1 + lead.end()
    mention = _mention_at(mentions, pos, pos + 1)
    if mention is None:
        return None
    rest = text[mention.end : mention.end + 60]
    if re.match(rf"\s*,?\s*{_ADVERBS}{_VERB}(?![\w])", rest):
        return mention
    return None


def _colon_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``dẫn lời Bộ trưởng … Mai Tiến Dũng: "…"``: the speaker right before a colon."""
    head = text[max(0, span.open_at - 4) : span.open_at]
    if not re.search(r":\s*$", head):
        return None
    colon = span.open_at - len(head) + head.rfind(":")
    for mention in mentions:
        if mention.name and 0 <= colon - mention.end <= 1:
            return mention
    return None


def _before_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``Thủ tướng nhấn mạnh: “…`` / ``ông Thuận cho rằng “…``"""
    head = text[max(0, span.open_at - 300) : span.open_at]
    verb = re.search(rf"{_VERB}(?:\s+rằng)?(?:\s*\([^)]*\))?\s*[:,]?\s*$", head)
    if not verb:
        return None
    clause_start = max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("\n"))
    clause_start = max(0, span.open_at - 300) + clause_start + 1
    verb_at = max(0, span.open_at - 300) + verb.start()
    candidates = [m for m in mentions if clause_start <= m.start and m.end <= verb_at]
    if not candidates:
        return None
    subject = candidates[-1]
    between = text[subject.end : verb_at]
    # The speaker is the subject right before the verb, not someone named earlier
    # in a subordinate phrase: allow only a short title chain/adverbs in between.
    if len(between.split()) > 12 or re.search(r"[.;]", between):
        return None
    return subject


def speaking_subject(sentence: str, offset: int, mentions: list[Mention]) -> Mention | None:
    """The mention in `sentence` followed by a speech verb, if any."""
    for mention in mentions:
        if not (offset <= mention.start < offset + len(sentence)):
            continue
        rest = sentence[mention.end - offset : mention.end - offset + 80]
        if re.match(rf"\s*(?:,[^,]{{0,60}},)?\s*(?:\([^)]{{0,60}}\)\s*)?{_ADVERBS}{_VERB}(?![\w])", rest):
            return mention
    return None


def extract_quotes(text: str, mentions: list[Mention]) -> list[ExtractedQuote]:
    """Direct quotes in `text` (one paragraph per line), attributed where the text allows."""
    quotes: list[ExtractedQuote] = []
    previous_speaker: tuple[str | None, int] = (None, -1)  # speaker of the last quote and its paragraph end
    for span in find_quote_spans(text):
        inner = text[span.start : span.end]
        if not inner.strip():
            continue
        words = _words(inner)
        before = text[max(0, span.open_at - 40) : span.open_at]
        if _NON_SPEECH_BEFORE.search(before):
            continue
        method, confidence, mention = None, 0.0, None
        if (mention := _after_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "verb_after", 0.95
        elif (mention := _before_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "verb_before", 0.9
        elif (mention := _colon_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "colon", 0.85
        elif words >= MIN_WORDS_CONTEXT and _starts_sentence(text, span.open_at):
            mention = _context_speaker(text, span, mentions)
            if mention is not None:
                method, confidence = "context", 0.7
            elif previous_speaker[0] and _follows_paragraph(text, previous_speaker[1], span.open_at):
                method, confidence = "continuation", 0.6
                mention = Mention(span.open_at, span.open_at, previous_speaker[0])
            elif _reads_as_sentence(text, span):
                method, confidence = "unattributed", 0.5
        if method is None:
            continue
        speaker = mention.name if mention else None
        if method != "unattributed" and speaker is None:
            method, confidence = "unattributed", 0.4
        quotes.append(ExtractedQuote(inner.strip(), span.start, span.end, speaker, True, method, confidence))
        paragraph_end = text.find("\n", span.end)
        previous_speaker = (speaker, len(text) if paragraph_end < 0 else paragraph_end)
    return quotes


def _reads_as_sentence(text: str, span: QuoteSpan) -> bool:
    """Speech ends with punctuation; a quoted subheading on its own line does not."""
    inner = text[span.start : span.end].rstrip()
    after = text[span.close_at + 1 : span.close_at + 2]
    return inner[-1:] in ".!?…" or after in (".", ",", "!", "?")


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos]
    return pos == 0 or before.endswith("\n") or bool(re.search(r"[.:!?]\s*$", before))


def _follows_paragraph(text: str, previous_end: int, pos: int) -> bool:
    return previous_end >= 0 and text[previous_end:pos].strip() == ""


def _context_speaker(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """The speaker of the sentence just before a quote that opens its own sentence."""
    paragraph_start = text.rfind("\n", 0, span.open_at) + 1
    head = text[paragraph_start : span.open_at]
    if not head.strip():
        return None  # a quote paragraph of its own: no sentence to lean on
    sentences = re.split(r"(?<=[.!?])\s+", head.strip())
    sentence = sentences[-1] if sentences else ""
    offset = paragraph_start + head.find(sentence)
    return speaking_subject(sentence, offset, mentions)


REPORTED = re.compile(
    rf"^(?P<subject>.{{0,200}}?)\s{_ADVERBS}(?P<verb>{_VERB})(?:\s+rằng)?\s*[:,]\s*(?P<said>[^“\"]+)$"
)


def extract_reported(paragraphs: list[tuple[int, str]], mentions: list[Mention]) -> list[ExtractedQuote]:
    """Reported speech: ``Bộ trưởng cho biết: …`` / ``Thứ trưởng X chia sẻ, …`` (no quotation marks)."""
    reported = []
    for offset, paragraph in paragraphs:
        for sentence_match in re.finditer(r"[^.!?]+(?:[.!?]+|$)", paragraph):
            sentence = sentence_match.group(0)
            match = REPORTED.match(sentence.strip())
            if not match:
                continue
            start = offset + sentence_match.start() + sentence.find(match["said"])
            subject_start = offset + sentence_match.start() + (len(sentence) - len(sentence.lstrip()))
            subject = [m for m in mentions if subject_start <= m.start < subject_start + len(match["subject"]) + 1]
            if not subject or not subject[-1].name or _words(match["said"]) < MIN_WORDS_CONTEXT:
                continue
            said = match["said"].strip()
            reported.append(ExtractedQuote(said, start, start + len(said), subject[-1].name, False, "reported", 0.6))
    return reported
