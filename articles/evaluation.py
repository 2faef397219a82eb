"""Scoring extraction against a careful reader's annotation (gold JSON).

Gold format: ``{"articles": {file: {"date", "speakers", "quotes": [{"prefix",
"speaker"}], "language"}}}`` as in ``seeds-gold.json``. Quotes match by prefix
after normalisation (NFC, one tone-mark convention, case and punctuation
ignored); speakers by full name. An extracted quote left unattributed counts
against recall only: storing a quote without a speaker is never a wrong claim.
"""

import unicodedata
from dataclasses import dataclass, field

from articles.extraction import ExtractedArticle
from articles.extraction.normalize import match_key


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, other: "Score") -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.expected += other.expected

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class FileReport:
    file: str
    dates: Score
    speakers: Score
    quotes: Score
    notes: list[str] = field(default_factory=list)


def _nfc(text: str | None) -> str | None:
    return unicodedata.normalize("NFC", text) if text else text


def _matches(prefix: str, text: str) -> bool:
    return match_key(text).startswith(match_key(prefix))


def score_file(file: str, gold: dict, extracted: ExtractedArticle | None, rejection: str | None) -> FileReport:
    notes: list[str] = []
    gold_date = gold.get("date")
    gold_speakers = {_nfc(name) for name in gold.get("speakers", [])}
    gold_quotes = [(q["prefix"], _nfc(q.get("speaker"))) for q in gold.get("quotes", [])]
    if extracted is None:
        if gold.get("language", "vi") != "vi":
            notes.append(f"rejected as expected ({rejection})")
        else:
            notes.append(f"REJECTED but gold expects an article: {rejection}")
        return FileReport(
            file,
            Score(0, 0, 1 if gold_date and gold.get("language", "vi") == "vi" else 0),
            Score(0, 0, len(gold_speakers)),
            Score(0, 0, len(gold_quotes)),
            notes,
        )

    predicted_date = extracted.date.isoformat() if extracted.date else None
    dates = Score(int(predicted_date is not None and predicted_date == gold_date), int(predicted_date is not None))
    dates.expected = int(gold_date is not None)
    if predicted_date != gold_date:
        notes.append(f"date {predicted_date} (gold {gold_date}): {extracted.date_evidence}")

    names = {speaker.name for speaker in extracted.speakers}
    speakers = Score(len(names & gold_speakers), len(names), len(gold_speakers))
    for missing in sorted(gold_speakers - names):
        notes.append(f"missed speaker {missing}")
    for extra in sorted(names - gold_speakers):
        notes.append(f"extra speaker {extra}")

    quotes = Score(expected=len(gold_quotes))
    matched_gold: set[int] = set()
    for quote in (q for q in extracted.quotes if q.direct):
        hit = next((i for i, (prefix, _) in enumerate(gold_quotes) if _matches(prefix, quote.text)), None)
        if quote.speaker is None and hit is None:
            continue
        quotes.predicted += 1
        if hit is not None and hit not in matched_gold and gold_quotes[hit][1] == quote.speaker:
            quotes.true_positives += 1
            matched_gold.add(hit)
        elif hit is not None:
            notes.append(f"quote '{quote.text[:40]}…' → {quote.speaker} (gold {gold_quotes[hit][1]})")
        else:
            notes.append(f"extra quote '{quote.text[:40]}…' → {quote.speaker} [{quote.method}]")
    for index, (prefix, speaker) in enumerate(gold_quotes):
        if index not in matched_gold and not any(_matches(prefix, q.text) for q in extracted.quotes if q.direct):
            notes.append(f"missed quote '{prefix[:40]}…' ({speaker})")
    return FileReport(file, dates, speakers, quotes, notes)
