"""Synthetic Vietnamese news articles for scale tests: text and records together.

Each generated article is an `ExtractedArticle`, the same value extraction
produces, so it can be stored by the normal loader (`articles.loading`) or by
the COPY path (`articles.bulk`); its `raw_text` is a scraped-looking text that
extraction reads back into the same title, date, source, event, speakers and
quotes (tests/test_scale.py checks that on a sample).

The vocabulary is the seeds' sentences recombined, plus a long tail of
generated place names built from Vietnamese onsets, rhymes and tones, so word
frequencies look like real news: a few syllables (`của`, `và`, `năm`) are in
every article, most are rare. Dates spread over 2000–2025; hundreds of
officials hold roles for spans of years, and `Thủ tướng` is whoever was Prime
Minister that year. Deterministic for a given seed.
"""

import datetime
import hashlib
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from articles.extraction import ExtractedArticle, Speaker
from articles.extraction.events import EventInfo
from articles.extraction.people import Role
from articles.extraction.quotes import ExtractedQuote

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
FIRST_YEAR, LAST_YEAR = 2000, 2025

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Phan",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Trịnh",
    "Trương",
    "Đinh",
    "Mai",
    "Cao",
    "Lương",
    "Tạ",
]
MIDDLE = [
    "Văn",
    "Thị",
    "Minh",
    "Đức",
    "Hữu",
    "Quốc",
    "Ngọc",
    "Xuân",
    "Thanh",
    "Mạnh",
    "Huy",
    "Anh",
    "Hồng",
    "Tiến",
    "Đình",
    "Chí",
    "Kim",
    "Bảo",
    "Công",
    "Thế",
]
GIVEN = [
    "Hùng",
    "Dũng",
    "Long",
    "Minh",
    "Hân",
    "Phúc",
    "Chính",
    "Đam",
    "Tâm",
    "Hưng",
    "Hậu",
    "Nhân",
    "Thúy",
    "Lan",
    "Sơn",
    "Hải",
    "Tuấn",
    "Khánh",
    "Quang",
    "Thắng",
    "Toàn",
    "Trung",
    "Nghĩa",
    "Thành",
    "Vinh",
    "Hoa",
    "Yến",
    "Kiên",
    "Cường",
    "Định",
    "Lực",
    "Tùng",
]
MINISTRIES = [
    ("Bộ Thông tin và Truyền thông", "Bộ TT&TT"),
    ("Bộ Công Thương", "Bộ Công Thương"),
    ("Bộ Kế hoạch và Đầu tư", "Bộ KH&ĐT"),
    ("Bộ Tài chính", "Bộ Tài chính"),
    ("Bộ Giáo dục và Đào tạo", "Bộ GD&ĐT"),
    ("Bộ Y tế", "Bộ Y tế"),
    ("Bộ Nội vụ", "Bộ Nội vụ"),
    ("Bộ Khoa học và Công nghệ", "Bộ KH&CN"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "Bộ NN&PTNT"),
    ("Bộ Giao thông vận tải", "Bộ GTVT"),
    ("Bộ Tư pháp", "Bộ Tư pháp"),
    ("Bộ Xây dựng", "Bộ Xây dựng"),
]
PROVINCES = [
    "Hà Nội",
    "Hải Phòng",
    "Đà Nẵng",
    "Cần Thơ",
    "Quảng Ninh",
    "Lào Cai",
    "Nghệ An",
    "Thanh Hóa",
    "Huế",
    "Quảng Nam",
    "Khánh Hòa",
    "Lâm Đồng",
    "Đắk Lắk",
    "Bình Dương",
    "Đồng Nai",
    "Long An",
    "An Giang",
    "Kiên Giang",
    "Cà Mau",
    "Bắc Ninh",
]
SOURCES = ["TTXVN", "VGP", "HNMO", "TTV", "Dân trí", "VOV", "VnExpress", "Nhân Dân", "Tuổi Trẻ", "Thanh Niên"]
# Prime ministers by year: "Thủ tướng" in 2003 is not "Thủ tướng" in 2022.
PRIME_MINISTERS = [
    (1997, 2006, "Phan Văn Khải"),
    (2006, 2016, "Nguyễn Tấn Dũng"),
    (2016, 2021, "Nguyễn Xuân Phúc"),
    (2021, 2026, "Phạm Minh Chính"),
]
VERBS_BEFORE = ["nhấn mạnh", "khẳng định", "cho biết", "chia sẻ", "lưu ý"]
VERBS_AFTER = ["nhấn mạnh", "khẳng định", "nói", "chia sẻ"]
EVENT_KINDS = {
    "year_end_review": "Hội nghị tổng kết công tác năm {reviewed}, triển khai nhiệm vụ năm {next}",
    "training": "Hội nghị tập huấn nghiệp vụ năm {year}",
    "conference": "Hội nghị trực tuyến về chuyển đổi số năm {year}",
}

_ONSETS = [
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
# (rhyme, index of the vowel that carries the tone mark)
_RHYMES = [
    ("a", 0), ("ai", 0), ("an", 0), ("ang", 0), ("anh", 0), ("ao", 0), ("ăn", 0), ("ăng", 0), ("âm", 0),
    ("ân", 0), ("âu", 0), ("ây", 0), ("e", 0), ("em", 0), ("en", 0), ("eo", 0), ("ê", 0), ("ên", 0),
    ("ênh", 0), ("i", 0), ("im", 0), ("in", 0), ("inh", 0), ("iên", 1), ("iêu", 1), ("o", 0), ("oa", 1),
    ("oan", 1), ("oanh", 1), ("oi", 0), ("om", 0), ("on", 0), ("ong", 0), ("ô", 0), ("ôi", 0), ("ôn", 0),
    ("ông", 0), ("ơ", 0), ("ơi", 0), ("ơn", 0), ("u", 0), ("ui", 0), ("un", 0), ("ung", 0), ("uy", 1),
    ("uyên", 2), ("ư", 0), ("ưa", 0), ("ưng", 0), ("ương", 1), ("ươi", 1),
]  # fmt: skip
_TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]


def _syllable(rng: random.Random) -> str:
    onset = rng.choice(_ONSETS)
    rhyme, position = rng.choice(_RHYMES)
    tone = rng.choice(_TONES)
    marked = rhyme[: position + 1] + tone + rhyme[position + 1 :]
    return unicodedata.normalize("NFC", onset + marked)


@dataclass(frozen=True)
class Official:
    name: str
    title: str
    organisation: str
    first_year: int
    last_year: int

    @property
    def given(self) -> str:
        return self.name.split()[-1]


@dataclass(frozen=True)
class Occasion:
    """An event several articles may report."""

    info: EventInfo
    date: datetime.date
    opening: str  # the lede's sentence announcing it (without the date)
    headline: str


# Sentences naming or quoting someone would give the generated article speakers its records lack.
NAMES_OR_SPEECH = re.compile(
    r"Thủ tướng|Bộ trưởng|Thứ trưởng|Chủ tịch|Giám đốc|Bí thư|Trưởng ban|Người đứng đầu|[Đđ]ồng chí|\b[Ôô]ng\b|"
    r"\b[Bb]à\b|khẳng định|nhấn mạnh|cho biết|chia sẻ|yêu cầu|\bnói\b|lưu ý|phát biểu|đề nghị|kêu gọi|nêu rõ|"
    r"[A-ZĐ]\w+ [A-ZĐ]\w+ [A-ZĐ]\w+"
)


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").split("Đọc thêm")[0]
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = " ".join(sentence.split())
            if (
                60 <= len(sentence) <= 260
                and not re.search(r"[“”\"|:()\[\]]|Ảnh|Ngày|ngày \d|\d{1,2}[-/]\d{1,2}|năm 20\d\d|\./\.", sentence)
                and not NAMES_OR_SPEECH.search(sentence)
                and sentence[0].isupper()
                and sentence.endswith(".")
            ):
                sentences.append(sentence)
    return sorted(set(sentences))


class CorpusGenerator:
    """Yields `ExtractedArticle`s numbered from `start`; the same seed gives the same corpus."""

    def __init__(self, seed: int = 1, *, officials: int = 600, place_names: int = 60_000):
        rng = random.Random(seed)
        self.seed = seed
        self.sentences = seed_sentences()
        self.places = sorted({f"{_syllable(rng).title()} {_syllable(rng).title()}" for _ in range(place_names)})
        self.officials = self._officials(rng, officials)
        self.by_year: dict[int, list[Official]] = {
            year: [o for o in self.officials if o.first_year <= year <= o.last_year]
            for year in range(FIRST_YEAR, LAST_YEAR + 1)
        }

    @staticmethod
    def _officials(rng: random.Random, count: int) -> list[Official]:
        names: set[str] = {name for _, _, name in PRIME_MINISTERS}
        officials = [Official(name, "Thủ tướng", "", first, last - 1) for first, last, name in PRIME_MINISTERS]
        titles = [("Bộ trưởng", 0.15), ("Thứ trưởng", 0.45), ("Cục trưởng", 0.2), ("Vụ trưởng", 0.2)]
        while len(officials) < count:
            name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            if name in names:
                continue
            names.add(name)
            first = rng.randint(FIRST_YEAR - 4, LAST_YEAR)
            last = min(LAST_YEAR, first + rng.randint(3, 10))
            if rng.random() < 0.08:
                officials.append(Official(name, "Phó Thủ tướng", "", first, last))
                continue
            title = rng.choices([t for t, _ in titles], [w for _, w in titles])[0]
            ministry, _short = rng.choice(MINISTRIES)
            if title in ("Cục trưởng", "Vụ trưởng"):
                title, ministry = "Giám đốc", f"Sở {ministry.removeprefix('Bộ ')} {rng.choice(PROVINCES)}"
            officials.append(Official(name, title, ministry, first, last))
        return officials

    # -- one article ---------------------------------------------------------------

    def _place(self, rng: random.Random) -> str:
        # Zipf-like: a few place names recur, most are rare (the long tail of real news).
        index = min(int(rng.paretovariate(1.1)) - 1, len(self.places) - 1)
        return self.places[(index * 7919) % len(self.places)] if rng.random() < 0.5 else rng.choice(self.places)

    def _occasion(self, rng: random.Random) -> Occasion:
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        ministry, short = rng.choice(MINISTRIES)
        place = rng.choice(PROVINCES)
        kind = rng.choices(list(EVENT_KINDS), [0.4, 0.3, 0.3])[0]
        if kind == "year_end_review":
            month, day = rng.choice([(12, rng.randint(15, 30)), (1, rng.randint(5, 25))])
            reviewed = year - 1 if month == 1 else year
            announced = EVENT_KINDS[kind].format(reviewed=reviewed, next=reviewed + 1)
            headline = f"{short} tổng kết công tác năm {reviewed}"
            name = f"{announced} của {ministry}"  # extraction names a review after its organiser
        else:
            month, day, reviewed = rng.randint(2, 11), rng.randint(1, 28), None
            name = announced = EVENT_KINDS[kind].format(year=year)
            headline = f"{short} tổ chức {name}"
        if year == LAST_YEAR + 1:
            year = LAST_YEAR
        date = datetime.date(year, month, day)
        # The organiser as extraction reads it first: the lede's full name for a review, else the headline's.
        organiser = ministry if kind == "year_end_review" else short
        info = EventInfo(name=name, kind=kind, place=place, organiser=organiser, reviews_year=reviewed)
        return Occasion(info, date, f"tại {place}, {ministry} tổ chức {announced}", headline)

    def article(self, number: int, occasion: Occasion | None = None) -> ExtractedArticle:
        rng = random.Random(self.seed * 1_000_003 + number)
        occasion = occasion or self._occasion(rng)
        date, info = occasion.date, occasion.info
        source = rng.choice(SOURCES)
        active = self.by_year[date.year]
        pm = next(o for o in self.officials if o.title == "Thủ tướng" and o.first_year <= date.year <= o.last_year)
        speakers = rng.sample(active, k=rng.randint(1, 3))
        if rng.random() < 0.25 and pm not in speakers:
            speakers.insert(0, pm)
        # Two speakers called "… Vinh" make "Giám đốc Vinh" ambiguous; extraction then credits nobody.
        speakers = list({official.given: official for official in reversed(speakers)}.values())[::-1]

        paragraphs: list[str] = []
        quotes: list[ExtractedQuote] = []
        lede = f"Ngày {date.day}-{date.month}, {occasion.opening}."
        paragraphs.append(lede)
        offset = len(lede) + 1

        def add(paragraph: str, found: list[tuple[str, str, bool]] = ()) -> None:
            nonlocal offset
            for text, speaker, direct in found:
                start = offset + paragraph.index(text)
                quotes.append(
                    ExtractedQuote(text, start, start + len(text), speaker, direct, "synthetic", 0.9 if direct else 0.7)
                )
            paragraphs.append(paragraph)
            offset += len(paragraph) + 1

        add(" ".join(rng.sample(self.sentences, k=2)) + f" Tại xã {self._place(rng)}, {self._fact(rng)}")
        for official in speakers:
            label = f"{official.title} {official.organisation}".strip()
            quote = self._quote(rng)
            if rng.random() < 0.5:
                add(
                    f"Phát biểu tại hội nghị, {label} {official.name} {rng.choice(VERBS_BEFORE)}: “{quote}”",
                    [(quote, official.name, True)],
                )
            else:
                add(f"Phát biểu tại hội nghị, {label} {official.name} đánh giá cao kết quả đạt được.")
                add(
                    f"“{quote}”, {official.title} {official.given} {rng.choice(VERBS_AFTER)}.",
                    [(quote, official.name, True)],
                )
            add(" ".join(rng.sample(self.sentences, k=2)))
        add(" ".join(rng.sample(self.sentences, k=2)) + f" Dự án tại {self._place(rng)} {self._fact(rng)}")

        body = "\n".join(paragraphs)
        caption = f"{speakers[0].title} {speakers[0].name} phát biểu tại hội nghị. Ảnh: {rng.choice(SOURCES)} |"
        teaser = (
            f"Đọc thêm\nPhó Bí thư Tỉnh ủy {self._stranger(rng)} thăm, làm việc tại xã {self._place(rng)}\nBình luận"
        )
        title = occasion.headline
        raw = f"{title}\n({source}) - {body}\n{caption}\n{teaser}\n"
        return ExtractedArticle(
            file_name=f"synthetic-{self.seed}-{number:08d}.txt",
            raw_text=raw,
            content_hash=hashlib.sha256(raw.encode()).hexdigest(),
            title=title,
            title_derived=False,
            lede=lede,
            body=body,
            date=date,
            date_evidence=f"Ngày {date.day}-{date.month} (year from the event)",
            source=source,
            language="vi",
            event=info,
            speakers=[Speaker(o.name, o.title, o.organisation) for o in speakers],
            quotes=quotes,
            roles={o.name: Role(o.title, o.organisation) for o in speakers},
        )

    def _fact(self, rng: random.Random) -> str:
        amount = rng.randint(2, 9_999)
        return rng.choice(
            [
                f"tổng vốn đầu tư đạt {amount} tỷ đồng.",
                f"đã có {amount} hồ sơ được giải quyết trực tuyến.",
                f"có {amount} cán bộ tham gia tập huấn.",
            ]
        )

    def _quote(self, rng: random.Random) -> str:
        first, second = rng.sample(self.sentences, k=2)
        return f"{first} {second[0].lower()}{second[1:-1]}, nhất là tại {rng.choice(self.places)}."

    def _stranger(self, rng: random.Random) -> str:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"

    def articles(self, count: int, *, start: int = 0, per_event: float = 2.5):
        """Articles `start` … `start + count - 1`; about `per_event` of them report each occasion.

        Article n depends only on the seed and n, so a corpus loaded in ranges
        (by parallel workers, or in several runs) is the same corpus.
        """

        def starts_occasion(number: int) -> bool:
            return number == 0 or random.Random(self.seed * 97 + number).random() < 1 / per_event

        for number in range(start, start + count):
            first = number
            while not starts_occasion(first):
                first -= 1
            yield self.article(number, self._occasion(random.Random(self.seed * 31 + first)))
