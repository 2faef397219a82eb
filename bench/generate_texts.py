"""Write N synthetic Vietnamese news texts shaped like seeds/ (for ingest benchmarks).

    python bench/generate_texts.py OUT_DIR N [--seed 1]

Each text recombines the seeds' sentences around a generated occasion: a
year-end review or a training conference of a ministry on a date between 2000
and 2025, speakers drawn from a pool of generated officials with titles,
direct quotes attributed both before and after, reported speech, captions and
a teaser block that must not leak. Deterministic for a given --seed.
"""

import argparse
import random
import re
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
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
]
GIVEN = [
    "Hùng",
    "Dũng",
    "Long",
    "Minh",
    "Hân",
    "Thạch",
    "Lâm",
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
    "Bình",
]
MINISTRIES = [
    "Bộ Thông tin và Truyền thông",
    "Bộ Công Thương",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Tài chính",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Y tế",
    "Bộ Nội vụ",
    "Bộ Khoa học và Công nghệ",
]
TITLES = ["Bộ trưởng", "Thứ trưởng", "Phó Thủ tướng", "Thủ tướng", "Giám đốc Sở", "Chủ tịch UBND tỉnh"]
VERBS = ["nhấn mạnh", "khẳng định", "cho biết", "chia sẻ", "nói", "lưu ý"]


def seed_sentences() -> list[str]:
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8").split("Đọc thêm")[0]
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            sentence = sentence.strip()
            if 60 <= len(sentence) <= 300 and "“" not in sentence and '"' not in sentence and "Ảnh" not in sentence:
                sentences.append(sentence)
    return sentences


def person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def article(rng: random.Random, sentences: list[str], officials: list[tuple[str, str, str]]) -> str:
    year = rng.randint(2000, 2025)
    ministry = rng.choice(MINISTRIES)
    review = rng.random() < 0.6
    if review:
        month, day = rng.choice([(12, rng.randint(15, 30)), (1, rng.randint(5, 25))])
        reviewed = year if month == 12 else year - 1
        opening = (
            f"Ngày {day}-{month}, tại Hà Nội, {ministry} đã tổ chức Hội nghị tổng kết công tác năm {reviewed}, "
            f"triển khai nhiệm vụ năm {reviewed + 1}."
        )
    else:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        opening = (
            f"Sáng {day}/{month}, {ministry} tổ chức Hội nghị tập huấn nghiệp vụ năm {year} "
            f"với sự tham dự của đông đảo cán bộ."
        )
    speakers = rng.sample(officials, k=rng.randint(1, 3))
    lines = [opening]
    for name, title, org in speakers:
        lines.append(f"Phát biểu tại hội nghị, {title} {org} {name} {rng.choice(VERBS)}, {rng.choice(sentences)}")
        lines.append(" ".join(rng.sample(sentences, k=3)))
        quote = rng.choice(sentences).rstrip(".")
        if rng.random() < 0.5:
            lines.append(f"“{quote}”, {title} {rng.choice(VERBS)}.")
        else:
            lines.append(f"{title} {name.split()[-1]} {rng.choice(VERBS)}: “{quote}.”")
        lines.append(f"{title} {name} phát biểu tại hội nghị. Ảnh: VGP |")
    lines.append(" ".join(rng.sample(sentences, k=4)))
    lines.append("Đọc thêm")
    lines.append(f"Phó Bí thư Tỉnh ủy {person(rng)} thăm, làm việc tại xã Biện Thượng")
    lines.append("Bình luận")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="gen", help="file name prefix, so that several sets can coexist")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    sentences = seed_sentences()
    officials = [(person(rng), rng.choice(TITLES), rng.choice(MINISTRIES)) for _ in range(400)]
    officials = [(n, t, "" if t in {"Thủ tướng", "Phó Thủ tướng"} else o) for n, t, o in officials]
    args.out.mkdir(parents=True, exist_ok=True)
    for index in range(args.count):
        (args.out / f"{args.prefix}_{index:07d}.txt").write_text(article(rng, sentences, officials), encoding="utf-8")
    print(f"wrote {args.count} texts to {args.out}")


if __name__ == "__main__":
    main()
