"""Scoring extraction against a careful reader's annotation (gold JSON).

Gold format: ``{"articles": {file: {"date", "speakers", "quotes": [{"prefix",
"speaker"}], "language"}}}`` as in ``seeds-gold.json``. Quotes match by prefix
after normalisation (NFC, one tone-mark convention, case and punctuation
ignored); speakers by full name in one tone-mark convention.

Quotes are scored as the project's external scorer scores them: precision over
the quotes stored WITH a speaker (a quote stored without one makes no claim),
recall over the gold's quotes (a gold quote nobody can name is found when it is
stored without a speaker). Every attributed quote is also kept as a
`Judgement` (its rule, its confidence, right or wrong) for the confidence table,
and every error is put in a class, so that the analysis can go on from here.
"""

from dataclasses import dataclass, field

from articles.extraction import ExtractedArticle
from articles.extraction.normalize import canonical_tones, match_key


@dataclass
class Score:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0
    found: int = 0  # expected items found (recall's numerator, which may count unattributed finds)

    def add(self, other: "Score") -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.expected += other.expected
        self.found += other.found

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Judgement:
    """One attributed quote, judged: its rule, its confidence and whether the speaker is right."""

    method: str
    confidence: float
    correct: bool


@dataclass
class FileReport:
    file: str
    dates: Score
    speakers: Score
    quotes: Score
    notes: list[str] = field(default_factory=list)
    judgements: list[Judgement] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (class, detail)


def _name(text: str | None) -> str | None:
    return canonical_tones(text) if text else None


def _matches(prefix: str, text: str) -> bool:
    return match_key(text).startswith(match_key(prefix))


def _rejected(file: str, gold: dict, rejection: str | None) -> FileReport:
    vietnamese = gold.get("language", "vi") == "vi"
    note = f"REJECTED but gold expects an article: {rejection}" if vietnamese else f"rejected as expected ({rejection})"
    report = FileReport(
        file,
        Score(0, 0, int(vietnamese)),
        Score(0, 0, len(gold.get("speakers", [])) if vietnamese else 0),
        Score(0, 0, len(gold.get("quotes", [])) if vietnamese else 0),
        [note],
    )
    if vietnamese:
        report.errors.append(("file rejected", f"{file}: {rejection}"))
    return report


def score_file(file: str, gold: dict, extracted: ExtractedArticle | None, rejection: str | None) -> FileReport:
    if extracted is None:
        return _rejected(file, gold, rejection)
    report = FileReport(file, Score(), Score(), Score())
    _score_date(report, gold, extracted)
    _score_speakers(report, gold, extracted)
    _score_quotes(report, gold, extracted)
    return report


def _score_date(report: FileReport, gold: dict, extracted: ExtractedArticle) -> None:
    gold_date, predicted = gold.get("date"), extracted.date.isoformat() if extracted.date else None
    right = predicted == gold_date
    report.dates = Score(int(right), 1, 1, int(right))
    if not right:
        kind = "date unknown" if predicted is None else "date invented" if gold_date is None else "date wrong"
        report.notes.append(f"date {predicted} (gold {gold_date}): {extracted.date_evidence}")
        report.errors.append((kind, f"{report.file}: {predicted} for {gold_date} — {extracted.date_evidence}"))


def _score_speakers(report: FileReport, gold: dict, extracted: ExtractedArticle) -> None:
    expected = {_name(name) for name in gold.get("speakers", [])}
    names = {_name(speaker.name) for speaker in extracted.speakers}
    right = len(names & expected)
    report.speakers = Score(right, len(names), len(expected), right)
    not_speakers = {_name(name) for name in gold.get("not_speakers", [])}
    for missing in sorted(expected - names):
        report.notes.append(f"missed speaker {missing}")
        report.errors.append(("speaker missed", f"{report.file}: {missing}"))
    for extra in sorted(names - expected):
        report.notes.append(f"extra speaker {extra}")
        kind = "not a speaker (the gold says so)" if extra in not_speakers else "speaker extra"
        report.errors.append((kind, f"{report.file}: {extra}"))


def _score_quotes(report: FileReport, gold: dict, extracted: ExtractedArticle) -> None:
    expected = [(q["prefix"], _name(q.get("speaker"))) for q in gold.get("quotes", [])]
    direct = [q for q in extracted.quotes if q.direct]
    score = Score(expected=len(expected))
    used: set[int] = set()
    for prefix, speaker in expected:
        index = next((i for i, q in enumerate(direct) if i not in used and _matches(prefix, q.text)), None)
        if index is None:
            report.notes.append(f"missed quote '{prefix[:40]}…' ({speaker})")
            report.errors.append(("quote not found", f"{report.file}: '{prefix[:60]}' ({speaker})"))
            continue
        used.add(index)
        quote = direct[index]
        got = _name(quote.speaker)
        if got == speaker:
            score.found += 1
        if got is None:
            if speaker is not None:
                report.errors.append((f"unattributed [{quote.method}]", f"{report.file}: '{prefix[:60]}' ({speaker})"))
            continue
        score.predicted += 1
        score.true_positives += got == speaker
        report.judgements.append(Judgement(quote.method, quote.confidence, got == speaker))
        if got != speaker:
            report.notes.append(f"quote '{quote.text[:40]}…' → {got} (gold {speaker})")
            report.errors.append(
                (f"wrong speaker [{quote.method}]", f"{report.file}: '{prefix[:60]}' → {got} (gold {speaker})")
            )
    for index, quote in enumerate(direct):
        if index in used or quote.speaker is None:
            continue
        score.predicted += 1
        report.judgements.append(Judgement(quote.method, quote.confidence, False))
        report.notes.append(f"extra quote '{quote.text[:40]}…' → {quote.speaker} [{quote.method}]")
        report.errors.append(
            (f"not a gold quote [{quote.method}]", f"{report.file}: '{quote.text[:60]}' → {quote.speaker}")
        )
    report.quotes = score


CONFIDENCE_BANDS = ((0.9, 1.01), (0.8, 0.9), (0.7, 0.8), (0.6, 0.7), (0.0, 0.6))


def confidence_table(judgements: list[Judgement]) -> list[tuple[str, int, int]]:
    """(band, attributed quotes in it, of which right) from the most confident band down."""
    rows = []
    for low, high in CONFIDENCE_BANDS:
        inside = [j for j in judgements if low <= j.confidence < high]
        rows.append((f"{low:.1f}–{min(high, 1.0):.1f}", len(inside), sum(j.correct for j in inside)))
    return rows


def method_table(judgements: list[Judgement]) -> list[tuple[str, int, int]]:
    """(rule, attributed quotes, of which right), most used first."""
    methods = sorted({j.method for j in judgements}, key=lambda m: -sum(j.method == m for j in judgements))
    return [
        (m, sum(j.method == m for j in judgements), sum(j.method == m and j.correct for j in judgements))
        for m in methods
    ]
