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

import dataclasses
import re
from dataclasses import dataclass

from articles.extraction import lexicon
from articles.extraction.people import FOREIGN_NAME_RE, TITLE_RE, Mention

OPENERS = '“"'
CLOSERS = '”"'
# Quoted phrases of about five words or fewer are terms, titles or fragments of reported speech.
MIN_WORDS_ATTRIBUTED = 6
_QUOTE_OR_BREAK = re.compile('[“”"\n]')
# Without a speech verb beside it a quote needs a sentence's length: slogans inside someone's
# reported speech ("bắt kịp, tiến cùng và vượt lên") are shorter.
MIN_WORDS_CONTEXT = 10

_VERB = rf"(?:{'|'.join(re.escape(v) for v in lexicon.SPEECH_VERBS)})"
_ADVERBS = rf"(?:(?:{'|'.join(re.escape(a) for a in lexicon.SPEECH_ADVERBS)})\s+)*"
_NON_SPEECH_BEFORE = re.compile(rf"(?:{'|'.join(re.escape(c) for c in lexicon.NON_SPEECH_CUES)})\s*[:,]?\s*$")


@dataclass
class QuoteSpan:
    start: int  # offset of the first character inside the marks
    end: int  # offset just past the last character inside the marks
    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark (or end of the paragraph if unclosed)
    closed: bool = True


@dataclass
class ExtractedQuote:
    text: str
    start: int
    end: int
    speaker: str | None
    direct: bool
    method: str
    confidence: float
    # A speaker guessed but not claimed (below ATTRIBUTION_THRESHOLD, or by no rule at all): editors
    # confirm or reject it in the review queue; it is never shown as the quote's speaker.
    suggested_speaker: str | None = None


# Attributions below this confidence are stored as suggestions, not claims.
ATTRIBUTION_THRESHOLD = 0.6


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
            if depth:  # left open to the paragraph's end: a multi-paragraph quote, or a missing mark
                spans.append(QuoteSpan(open_at + 1, index, open_at, index, closed=False))
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
    if depth:
        spans.append(QuoteSpan(open_at + 1, len(text), open_at, len(text), closed=False))
    return spans


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


def _mention_at(mentions: list[Mention], start: int, end: int) -> Mention | None:
    for mention in mentions:
        if start <= mention.start < end:
            return mention
    return None


# Between a closing mark and its attribution: ", " or a dash; after a full stop a new sentence begins.
_ATTRIBUTION_LEAD = re.compile(r"[^\S\n]*(?:,[^\S\n]*(?:[-–—][^\S\n]*)?|\.?[^\S\n]*[-–—][^\S\n]*)?")
# "”, ba của bé nói.", "”, ông Uẩn rơm rớm nước mắt kể.", "” - HLV Frank Bernhardt nói.": a short
# clause after the closing mark, ending the sentence, says who spoke, whatever its verb.
_CLAUSE_AFTER = re.compile(
    r"[^\S\n]*(?:(?:,|[-–—])[^\S\n]*(?P<clause>(?:[^.!?;:“”\"\n]|\.(?=\w)){2,200}?)"
    # without a comma ("” Beck nhận định."): only a clause that ends on a speech verb
    rf"|(?P<bare>[A-ZĐ](?:[^.!?;:“”\"\n]|\.(?=\w)){{0,60}}?\s{_VERB}))[^\S\n]*(?:[.!?;](?!\w)|\n|$)"
)
MAX_CLAUSE_WORDS = 10
_ROLE_WORDS = re.compile(r"(?:[^\W\d_A-ZĐ]+\s+){0,3}$")  # "bác sỹ ", "vị lãnh đạo ": lower-case words before a name


def attribution_clause(text: str, position: int, mentions: list[Mention]) -> tuple[bool, Mention | None] | None:
    """The attribution clause starting at `position` (just past a closing mark), if there is one:
    (True, its speaker) when it opens with someone we can name, (True, None) when it names someone
    we cannot (``ba của bé``, a name we do not know, a possessor's relative)."""
    found = _CLAUSE_AFTER.match(text, position)
    group = "clause" if found and found["clause"] else "bare"
    if not found:
        return None
    start, end = found.start(group), found.end(group)
    clause = found[group].lstrip(" -–—")
    start = end - len(clause)
    ends_on_verb = re.search(rf"(?<![\w]){_VERB}(?:\s+(?:thêm|với [^,]{{1,30}}))?$", clause)
    if _words(clause) > (MAX_CLAUSE_WORDS_WITH_VERB if ends_on_verb else MAX_CLAUSE_WORDS):
        return None
    inside = [m for m in mentions if start <= m.start < end]
    if not inside:
        return True, _named_in_clause(clause, start, mentions)
    first = inside[0]
    before = text[start : first.start]
    if first.name and _ROLE_WORDS.fullmatch(_CITING.sub("", before)) and not re.search(r"\bcủa\b", before):
        return True, first
    if first.name and ends_on_verb and first is inside[-1] and not re.search(r"\bcủa\b", before):
        # "PGĐ Sở Xây dựng Đỗ Phi Hùng khẳng định": a title with its organisation before the only name.
        return True, first
    return True, None


MAX_CLAUSE_WORDS_WITH_VERB = 25
_CITING = re.compile(r"^.*\bdẫn lời\s+")  # "Zing.vn dẫn lời ông Đoan": the one cited speaks
_GIVEN_THEN_VERB = re.compile(rf"([A-ZĐ][^\W\d_]*)\s+{_ADVERBS}{_VERB}(?![\w])")


def _named_in_clause(clause: str, start: int, mentions: list[Mention]) -> Mention | None:
    """A speaker the mentions missed: a foreign name opening the clause (``David Widmann thuộc NCT
    cho biết``), or a bare given name of one person named before (``Sang nói``)."""
    foreign = FOREIGN_NAME_RE.match(clause)
    whole = foreign and not re.match(r"\s+[A-ZĐ]", clause[foreign.end() :])  # not "Phi Thanh" of "Phi Thanh Vân"
    if whole and not lexicon.FOREIGN_ORGANISATION_WORDS.intersection(foreign.group(0).split()):
        return Mention(start, start + foreign.end(), foreign.group(0))
    if given := _GIVEN_THEN_VERB.fullmatch(clause):
        known = {m.name for m in mentions if m.name and m.start < start}
        matches = [name for name in known if name.endswith(" " + given.group(1))]
        if len(matches) == 1:
            return Mention(start, start + given.end(1), matches[0])
    return None


def _own_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> tuple[bool, Mention | None] | None:
    return attribution_clause(text, span.close_at + 1, mentions)


def _after_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``”, Thủ tướng nói.`` / ``” - Bộ trưởng Nguyễn Mạnh Hùng khẳng định.``"""
    pos = _ATTRIBUTION_LEAD.match(text, span.close_at + 1).end()
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
            # The one named before the colon speaks when they open the clause or are cited
            # ("dẫn lời Bộ trưởng X:", "câu nói của X:"); after any other verb they are spoken to
            # ("hỏi Võ Pháp:", "gửi lời động viên Phương Oanh:").
            before = text[max(0, mention.start - 40) : mention.start]
            if _CITED_BEFORE.search(before) or _OPENS_CLAUSE.search(before):
                return mention
            return None
    return None


_CITED_BEFORE = re.compile(r"(?:dẫn lời|[Tt]heo|của|lời)\s+$")
_OPENS_CLAUSE = re.compile(r"(?:^|[.!?;,\n])\s*$")


_SETTING = r"\s+(?:trong|tại|với|ở|khi|trước|bên|sau)\s[^.:;“”\"]{1,60}?(?=\s*:\s*$)"


def _before_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``Thủ tướng nhấn mạnh: “…`` / ``ông Thuận cho rằng “…``"""
    head = text[max(0, span.open_at - 300) : span.open_at]
    # "nói trong một cuộc họp: “…”": a short place or time phrase may stand between verb and colon.
    verb = re.search(
        rf"{_VERB}(?:\s+(?:rằng|thêm|ý kiến|quan điểm))?(?:\s*\([^)]*\))?(?:{_SETTING})?\s*[:,]?\s*$", head
    )
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
    # in a subordinate phrase: allow only a short title chain/adverbs in between,
    # and no speech verb of the subject's own ("ông A cho biết, có người nói: “…”").
    if len(between.split()) > 12 or re.search(r"[.;]", between) or re.search(rf"(?<![\w]){_VERB}(?![\w])", between):
        return None
    return subject


# "Vợ ông Tám", "luật sư của bà Lan": the person named is not the one speaking.
_POSSESSOR = re.compile(
    rf"(?<![\w])(?:(?:{'|'.join(re.escape(n) for n in lexicon.KIN_NOUNS)})"
    rf"|(?:{'|'.join(re.escape(n) for n in lexicon.PERSON_NOUNS)})\s+của)\s+$",
    re.IGNORECASE,
)


# After a subject: an apposition between commas or a parenthesis, adverbs, then the speech verb.
_VERB_AFTER_SUBJECT = rf"\s*(?:,[^,]{{0,60}},)?\s*(?:\([^)]{{0,60}}\)\s*)?{_ADVERBS}(?P<verb>{_VERB})(?![\w])"
_SUBJECT_VERB = re.compile(_VERB_AFTER_SUBJECT)


def speaking_subject(sentence: str, offset: int, mentions: list[Mention]) -> Mention | None:
    """The mention in `sentence` followed by a speech verb, if any."""
    for mention in mentions:
        if not (offset <= mention.start < offset + len(sentence)):
            continue
        if _POSSESSOR.search(sentence[: mention.start - offset]):
            continue  # "Vợ ông Tám kể lại": the wife speaks, not Tám
        rest = sentence[mention.end - offset : mention.end - offset + 80]
        verb = _SUBJECT_VERB.match(rest)
        if verb and not _noun_not_verb(verb["verb"], rest[verb.end() :]):
            return mention
    return None


def _noun_not_verb(verb: str, after: str) -> bool:
    """``Bộ Khoa học và Công nghệ thông tin Hàn Quốc``: a verb that is also a noun, followed by a
    capitalised word, is part of a name; as a verb it introduces words (``thông tin, …``)."""
    return verb in lexicon.NOUN_VERBS and bool(re.match(r"\s+[A-ZĐ]", after))


def extract_quotes(text: str, mentions: list[Mention]) -> list[ExtractedQuote]:
    """Direct quotes in `text` (one paragraph per line), attributed where the text allows."""
    quotes: list[ExtractedQuote] = []
    previous_speaker: tuple[str | None, int] = (None, -1)  # speaker of the last quote and its paragraph end
    for span in find_quote_spans(text):
        if not span.closed:
            span = _close_before_attribution(text, span, mentions) or span
        inner = text[span.start : span.end]
        if not inner.strip():
            continue
        words = _words(inner)
        if not span.closed and words < MIN_WORDS_CONTEXT:
            continue  # a stray mark, not a quote left open
        before = text[max(0, span.open_at - 40) : span.open_at]
        if _NON_SPEECH_BEFORE.search(before):
            continue
        method, confidence, mention = None, 0.0, None
        introduced = _introduced_by_unnamed(text, span, mentions)
        if introduced:
            method, confidence = "unattributed", 0.4  # "có chuyên viên … nói: “…”": someone unnamed speaks
        elif (mention := _words_of(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "words_of", 0.85
        elif (mention := _after_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "verb_after", 0.95
        elif (mention := _before_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "verb_before", 0.9
        elif (mention := _colon_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "colon", 0.85
        elif (mention := _according_to(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            method, confidence = "according_to", 0.85
        elif (clause := _own_attribution(text, span, mentions)) and words >= MIN_WORDS_ATTRIBUTED:
            mention = clause[1]
            method, confidence = ("clause_after", 0.85) if mention else ("unattributed", 0.4)
        elif _introduced_by_colon(text, span):
            method, confidence = "unattributed", 0.4  # the sentence before the colon names no one we know
        elif (mention := _sentence_speaker(text, span, mentions)) and words >= MIN_WORDS_CONTEXT:
            method, confidence = "in_sentence", 0.8
        elif words >= MIN_WORDS_CONTEXT and _starts_sentence(text, span.open_at):
            mention = _context_speaker(text, span, mentions)
            if mention is not None:
                method, confidence = "context", 0.7
            elif (mention := _paragraph_speaker(text, span, mentions)) is not None:
                method, confidence = "paragraph", 0.7
            elif (
                previous_speaker[0]
                and _follows_paragraph(text, previous_speaker[1], span.open_at)
                and _no_one_else_between(text, previous_speaker[1], span.open_at, previous_speaker[0], mentions)
            ):
                method, confidence = "continuation", 0.6
                mention = Mention(span.open_at, span.open_at, previous_speaker[0])
            if method is None and _reads_as_sentence(text, span):
                method, confidence = "unattributed", 0.5
        if method is None:
            continue
        speaker = mention.name if mention else None
        if method != "unattributed" and speaker is None:
            method, confidence = "unattributed", 0.4
        quotes.append(ExtractedQuote(inner.strip(), span.start, span.end, speaker, True, method, confidence))
        paragraph_end = text.find("\n", span.end)
        previous_speaker = (speaker, len(text) if paragraph_end < 0 else paragraph_end)
    _carry_back_multi_paragraph(text, quotes)
    return [_claim_or_suggest(text, quote, mentions) for quote in quotes]


def _claim_or_suggest(text: str, quote: ExtractedQuote, mentions: list[Mention]) -> ExtractedQuote:
    """A speaker below the threshold becomes a suggestion; a sentence-like quote no rule could give
    to anyone gets the nearest person speaking before it as a suggestion (never a claim)."""
    if quote.speaker and quote.confidence < ATTRIBUTION_THRESHOLD:
        return dataclasses.replace(quote, speaker=None, suggested_speaker=quote.speaker)
    if quote.speaker is None and quote.method == "unattributed" and quote.confidence >= 0.5:
        guess = _nearest_speaker_before(text, quote.start, mentions)
        return dataclasses.replace(quote, suggested_speaker=guess.name if guess else None)
    return quote


SUGGESTION_REACH = 1200  # characters before the quote searched for someone speaking


def _nearest_speaker_before(text: str, position: int, mentions: list[Mention]) -> Mention | None:
    for mention in reversed(list(_named_between(text, mentions, position - SUGGESTION_REACH, position))):
        if mention.end <= position and (
            speaking_subject(_sentence_from(text, mention), mention.start, [mention]) or is_according_to(text, mention)
        ):
            return mention
    return None


def _named_between(text: str, mentions: list[Mention], start: int, end: int):
    """The named mentions starting in [start, end), a relative's possessor left out (``vợ ông Tám``)."""
    for mention in mentions:
        in_range = start <= mention.start < end and mention.name
        if in_range and not _POSSESSOR.search(text[max(0, mention.start - 30) : mention.start]):
            yield mention


def _sentence_from(text: str, mention: Mention) -> str:
    """The text from the mention to the end of its sentence."""
    end = re.search(r"[.!?](?:\s|$)|\n", text[mention.end :])
    return text[mention.start : mention.end + (end.start() if end else 200)]


def _close_before_attribution(text: str, span: QuoteSpan, mentions: list[Mention]) -> QuoteSpan | None:
    """``“… điểm nghẽn, Tổng Bí thư nhấn mạnh.`` (closing mark missing, or shared with a nested
    quote): the quote ends at the comma before the attribution clause that ends the paragraph."""
    for mention in mentions:
        if not (span.start < mention.start < span.end) or mention.name is None:
            continue
        lead = re.search(r"([,.]\s*(?:[-–—]\s*)?)$", text[span.start : mention.start])
        rest = text[mention.end : span.end]
        if not lead or not re.fullmatch(r"[^.!?;:“”\"]{0,80}[.!…]?\s*", rest) or _words(rest) > MAX_CLAUSE_WORDS:
            continue
        if not (re.match(rf"\s*,?\s*{_ADVERBS}{_VERB}", rest) or lead.group(1).startswith(",")):
            continue
        close = mention.start - len(lead.group(1))
        return QuoteSpan(span.start, close, span.open_at, close - 1, closed=True)
    return None


def _carry_back_multi_paragraph(text: str, quotes: list[ExtractedQuote]) -> None:
    """A quote over several paragraphs opens each one and closes only the last: the last one's
    attribution covers the paragraphs before it."""
    for index in range(len(quotes) - 2, -1, -1):
        quote, following = quotes[index], quotes[index + 1]
        paragraph_end = text.find("\n", quote.end)
        if (
            quote.speaker is None
            and following.speaker
            and following.method in {"verb_after", "multi_paragraph"}
            and paragraph_end == quote.end
            and text.rfind("\n", 0, quote.start) + 2 == quote.start  # the paragraph opens with the quote
            and text.rfind("\n", 0, following.start) + 2 == following.start
            and text.find("\n", paragraph_end + 1, following.start) < 0
        ):
            quotes[index] = ExtractedQuote(
                quote.text, quote.start, quote.end, following.speaker, True, "multi_paragraph", 0.8
            )


_SPEECH_NOUNS = r"(?:câu hỏi|ý kiến|đề nghị|kiến nghị|lời|phát biểu|câu nói|chất vấn|quan điểm)"
_WORDS_OF = re.compile(rf"{_SPEECH_NOUNS}\s+của\s+$", re.IGNORECASE)


def _words_of(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``câu hỏi của đại biểu X (tỉnh Y) về việc “…”``: the words belong to the one they are "of",
    whoever answers after them."""
    for mention in reversed(mentions):
        if mention.end > span.open_at:
            continue
        between = text[mention.end : span.open_at]
        if len(between) > 60 or re.search(r"[.;:!?“”\"]", between):
            return None
        if not re.fullmatch(r"\s*(?:\([^()]{0,40}\))?\s*(?:về việc|về|rằng|là|:)?\s*", between):
            return None
        return mention if _WORDS_OF.search(text[max(0, mention.start - 30) : mention.start]) else None
    return None


_SPEECH_COLON = re.compile(rf"{_VERB}\s*:\s*$")


def _introduced_by_unnamed(text: str, span: QuoteSpan, mentions: list[Mention]) -> bool:
    """``có chuyên viên ở sở vỗ ngực nói: “…”``: a speech verb and colon right before the quote
    whose clause names no one. The words are that unnamed person's, whoever speaks after them."""
    head = text[max(0, span.open_at - 200) : span.open_at]
    if not _SPEECH_COLON.search(head):
        return False
    sentence_start = span.open_at - len(head) + max(head.rfind(". "), head.rfind("\n"), -1) + 1
    return not any(sentence_start <= m.start < span.open_at for m in mentions)


def _introduced_by_colon(text: str, span: QuoteSpan) -> bool:
    """``X có những nhận xét đáng chú ý: “…”``, ``với kết luận: “…”``: the sentence before the colon
    says whose words follow; if no rule read a speaker there, no other sentence may supply one."""
    return bool(re.search(r":\s*$", text[max(0, span.open_at - 4) : span.open_at]))


def _according_to(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``Theo ông, "…"`` / ``Theo Bộ trưởng Nguyễn Văn A, “…”``."""
    head = text[max(0, span.open_at - 120) : span.open_at]
    for mention in reversed(mentions):
        if mention.end > span.open_at or mention.start < span.open_at - len(head):
            continue
        between = text[mention.end : span.open_at]
        if re.fullmatch(r"\s*[,:]\s*", between) and _THEO_BEFORE.search(
            text[max(0, mention.start - 8) : mention.start]
        ):
            return mention
        return None
    return None


# People named by a common noun rather than a name: when one of them speaks between a
# speaker and a quote, the quote may be theirs.
_OTHER_SPEAKER = re.compile(
    rf"(?<![\w])(?:{'|'.join(re.escape(n) for n in lexicon.PERSON_NOUNS)})(?![\w])[^.!?\n]{{0,60}}?{_VERB}(?![\w])",
    re.IGNORECASE,
)


def _no_one_else_between(text: str, start: int, end: int, speaker: str | None, mentions: list[Mention]) -> bool:
    if any(start <= m.start < end and m.name != speaker for m in mentions):
        return False
    return not _OTHER_SPEAKER.search(text, start, end)


def _paragraph_speaker(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """The last person in the quote's paragraph who speaks (``Bộ trưởng … cho biết, …. “…”``), or,
    for a quote opening its paragraph, in the paragraph before; never across someone else."""
    paragraph_start = text.rfind("\n", 0, span.open_at) + 1
    if not text[paragraph_start : span.open_at].strip():
        paragraph_start = text.rfind("\n", 0, max(0, paragraph_start - 1)) + 1
    speaking = None
    for mention in _named_between(text, mentions, paragraph_start, span.open_at):
        sentence = _sentence_from(text, mention)
        if (speaking_subject(sentence, mention.start, [mention]) and _says_something(sentence)) or is_according_to(
            text, mention
        ):
            speaking = mention
    if speaking is None:
        return None
    clause_end = re.search(r"[.!?](?:\s|$)|\n", text[speaking.end :])
    after_clause = speaking.end + (clause_end.end() if clause_end else 0)
    if not _no_one_else_between(text, after_clause, span.open_at, speaking.name, mentions):
        return None
    return speaking


def _sentence_speaker(text: str, span: QuoteSpan, mentions: list[Mention]) -> Mention | None:
    """``Thủ tướng chỉ ra một số bất cập như hạn điền quá nhỏ, “cả nước có …”``: a quote inside a
    sentence whose subject speaks, with no one else named between them."""
    head = text[max(0, span.open_at - 400) : span.open_at]
    sentence_start = (
        span.open_at - len(head) + max(head.rfind(". "), head.rfind("! "), head.rfind("? "), head.rfind("\n"), -1) + 1
    )
    speaking = None
    for mention in _named_between(text, mentions, sentence_start, span.open_at):
        if speaking_subject(text[mention.start : span.open_at], mention.start, [mention]):
            speaking = mention
    if speaking is None or not _no_one_else_between(text, speaking.end, span.open_at, speaking.name, mentions):
        return None
    return speaking


def _says_something(sentence: str) -> bool:
    """``X cho biết, lương sẽ tăng …`` carries words; ``X trả lời chất vấn.`` (a caption) does not."""
    verb = re.search(rf"{_VERB}(?![\w])", sentence)
    if verb is None:
        return False
    rest = sentence[verb.end() :]
    return bool(re.match(r"\s*(?:[:,]|rằng\b)", rest)) or (
        _words(rest) >= 5 and not re.match(r"\s*(?:tại|ở|trong|với)\b", rest)
    )


# Searched in the 8 characters before a mention (the slice's start counts as a word boundary).
_THEO_BEFORE = re.compile(r"(?:^|[\s.,])[Tt]heo\s+$")


def is_according_to(text: str, mention: Mention) -> bool:
    """``Theo X, …`` / ``Theo X: …``."""
    return bool(_THEO_BEFORE.search(text[max(0, mention.start - 8) : mention.start])) and (
        text[mention.end : mention.end + 1] in ",:"
    )


def _reads_as_sentence(text: str, span: QuoteSpan) -> bool:
    """Speech ends with punctuation; a quoted subheading on its own line does not."""
    inner = text[span.start : span.end].rstrip()
    after = text[span.close_at + 1 : span.close_at + 2]
    return inner[-1:] in ".!?…" or after in (".", ",", "!", "?")


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos]
    return pos == 0 or before.endswith("\n") or bool(re.search(r"[.:!?]\s*$", before))


def _follows_paragraph(text: str, previous_end: int, pos: int) -> bool:
    """The quote at `pos` opens the paragraph right after the one that ended at `previous_end`
    (never a quote in the same paragraph: its speaker is read from its own sentence)."""
    return 0 <= previous_end < pos and text[previous_end:pos].strip() == ""


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


# A sentence: up to a final mark followed by a space or the end ("TP.HCM", "3.6" stay inside).
_SENTENCE = re.compile(r"(?:[^.!?]|[.!?](?=\S))+(?:[.!?]+|$)")
_REPORTING_VERB = re.compile(rf"{_VERB_AFTER_SUBJECT}(?:\s+thêm)?(?:\s+rằng)?(?P<sep>\s*[:,]\s*|\s+)")
# "…, đồng thời kêu gọi các doanh nghiệp …": a second verb of the same subject; its words follow it.
_CONNECTIVES = r"(?:đồng thời|và|cũng như)"
_SECOND_VERB = re.compile(rf"{_CONNECTIVES}\s+{_ADVERBS}(?P<verb>{_VERB})(?![\w])(?:\s+rằng)?(?P<sep>\s*[:,]\s*|\s+)")
# "nhấn mạnh đến 3 sự thay đổi", "lưu ý về cách …": a topic, named by the reporter, not the words said.
_TOPIC = re.compile(r"(?:về|đến|tới|với|tại|trong|trước|ở|việc|lý do|nguyên nhân)\s")
# "đại biểu X (Đà Nẵng) đặt ra một loạt câu hỏi: …", "X nêu ý kiến: …": a short lower-case clause
# ending in a speech noun or verb, then a colon.
_ASKED_WITH_COLON = re.compile(
    rf"\s*(?:\([^)]{{0,60}}\)\s*)?(?P<clause>(?:[^\W\d_]+\s+){{0,6}}?)(?:{_VERB}|{_SPEECH_NOUNS})\s*:\s*"
)
# "Xin ông cho biết …", "đề nghị Bộ trưởng X cho biết …": the one asked has not spoken yet.
_ASKED_TO_SPEAK = re.compile(r"(?:^|[\s,.:])(?:[Xx]in|[Mm]ời|đề nghị|yêu cầu|hỏi|nhờ)\s+$")
_CONNECTIVE = re.compile(rf"{_CONNECTIVES}\s")
# "Theo ông X, Giám đốc Sở Y, …": the apposition after the name is not what he said.
_APPOSITION = re.compile(r"[^,.;:]{1,80},\s*")


def extract_reported(paragraphs: list[tuple[int, str]], mentions: list[Mention]) -> list[ExtractedQuote]:
    """Reported speech, without quotation marks: what follows a sentence's speaking subject and its
    verb (``Bộ trưởng cho biết: …``, ``…, Thứ trưởng X chia sẻ, …``, ``Thứ trưởng X đề nghị các
    cơ quan …``) or ``Theo X, …``; never the subject's own words before it, nor the reporter's
    connective after it (``nhấn mạnh, đồng thời kêu gọi …`` reports what was called for)."""
    reported = []
    for offset, paragraph in paragraphs:
        inside = _shifted(mentions, offset, len(paragraph))
        for sentence_match in _SENTENCE.finditer(paragraph):
            end = sentence_match.end()
            for mention in _named_between(paragraph, inside, sentence_match.start(), end):
                if _ASKED_TO_SPEAK.search(paragraph, max(0, mention.start - 20), mention.start):
                    continue
                said_at = _reported_content(paragraph, mention, end, inside)
                if said_at is None:
                    continue
                said = paragraph[said_at:end].strip()
                if _words(said) >= MIN_WORDS_CONTEXT and not _QUOTE_OR_BREAK.search(said):
                    begin = offset + said_at + (len(paragraph[said_at:]) - len(paragraph[said_at:].lstrip()))
                    reported.append(
                        ExtractedQuote(said, begin, begin + len(said), mention.name, False, "reported", 0.6)
                    )
                break  # the sentence's first speaking subject; a later name is inside what was said
    return reported


def _shifted(mentions: list[Mention], offset: int, length: int) -> list[Mention]:
    """The mentions inside a paragraph, with offsets into the paragraph."""
    return [
        dataclasses.replace(m, start=m.start - offset, end=m.end - offset)
        for m in mentions
        if offset <= m.start < offset + length
    ]


def _reported_content(paragraph: str, mention: Mention, end: int, mentions: list[Mention]) -> int | None:
    """Where the words reported after `mention` start in `paragraph`, or None if it reports none."""
    if is_according_to(paragraph, mention):
        after = mention.end + 1
        apposition = _APPOSITION.match(paragraph, after, end)
        if apposition and _is_role(apposition.group(0)):
            after = apposition.end()
        return after
    asked = _ASKED_WITH_COLON.match(paragraph, mention.end, end)
    if asked and not re.search(r"(?:^|\s)[A-ZĐ]", asked["clause"]):  # no other name in between
        return asked.end()
    verb = _REPORTING_VERB.match(paragraph, mention.end, end)
    if verb is None or _noun_not_verb(verb["verb"], paragraph[verb.end("verb") :]):
        return None
    if any(mention.end <= other.start < verb.start("verb") for other in mentions):
        return None  # "Tiếp ông X, Bộ trưởng Y cho biết": the apposition names the one who speaks
    if not verb["sep"].strip() and (
        verb["verb"] not in lexicon.REPORTING_WITHOUT_COMMA or _TOPIC.match(paragraph, verb.end(), end)
    ):
        return None
    said_at = verb.end()
    if second := _SECOND_VERB.match(paragraph, said_at, end):
        return second.end()
    if _CONNECTIVE.match(paragraph, said_at, end):
        return None  # "…, đồng thời giao Bộ …": what the subject did, not what it said
    return said_at


_DESCRIBED_AS = re.compile(
    r"(?:một\s+)?(?:nhà|chuyên gia|cựu|nguyên|quan chức|thành viên|giáo sư|tiến sĩ)\s", re.IGNORECASE
)


def _is_role(segment: str) -> bool:
    """``Giám đốc Sở Y tế,``, ``một nhà nghiên cứu tại …,``: a title or a description opens the segment."""
    segment = segment.lstrip()
    return bool(_DESCRIBED_AS.match(segment) or TITLE_RE.match(segment))
