"""From a raw scraped text to the article's own paragraphs.

What leaves the body (it stays in the raw text): markdown images and link
blocks, photo captions and credits (``Ảnh: VGP |``, or glued into a sentence),
related-article teasers after ``Đọc thêm``/``Tin liên quan``, comment widgets
(``Bình luận``, ``Thông báo``, ``Bạn đã gửi thành công.``), copyright notices,
signature lines (``HQ (Nguồn: …)``), bylines and the closing ``./.``.
Agency tags (``(HNMO) -``, ``VOV.VN -``) and ``Nguồn:`` lines name the source.
"""

import re
from dataclasses import dataclass, field

from articles.extraction.normalize import clean_text

# Everything after one of these lines is related-article material.
TEASER_HEADINGS = re.compile(
    r"^(?:Đọc thêm|Xem thêm|Tin liên quan|Bài liên quan|Tin cùng chuyên mục|Có thể bạn quan tâm|Tin khác|"
    r"Các tin khác|Tin mới|Tin nổi bật|Bài viết liên quan|Cùng chuyên mục)\s*:?$",
    re.IGNORECASE,
)
WIDGET_LINES = re.compile(
    r"^(?:Bình luận|Thông báo|Bạn đã gửi thành công\.?|Gửi bình luận|Đóng kênh chia sẻ|Chia sẻ|"
    r"Chia sẻ bài viết|In bài viết|Quay lại|Lên đầu trang|Tags?:.*|Từ khóa:.*|Image copyright.*|"
    r"Bản quyền.*|©.*|\(\*\).*sao chép.*|.*Không sao chép dưới mọi hình thức.*|XEM CLIP:?.*|"
    r"Xem thêm:.*|more\W*)$",
    re.IGNORECASE,
)
AGENCY_TAG = re.compile(
    r"^\s*(?:\((?P<paren>[^()]{2,40})\)\s*[-–—]\s*|(?P<bare>[A-Z][A-Za-z.]{1,20}\.(?:VN|vn|com|net))\s*[-–—]\s*)"
)
SOURCE_LINE = re.compile(r"^(?:(?P<sig>[A-ZĐ.]{1,6})\s*)?\(?\s*Nguồn\s*:\s*(?P<source>[^)]+?)\s*\)?\.?$")
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<url>[^)\s]*)(?:\s+\"(?P<title>[^\"]*)\")?\)\s*\|?")
MARKDOWN_LINK = re.compile(r"\[(?P<text>[^\]]*)\]\((?P<url>[^)]*)\)")
# A caption line ends with its credit ("… tại hội nghị. Ảnh: VGP |", "- Ảnh: VGP/Nhật Bắc").
CAPTION_LINE = re.compile(r"(?:^|\s)(?:Ảnh|Nguồn ảnh|Ảnh minh họa|Ảnh minh hoạ)\s*:[^|.,;:!?]{0,40}\|?\s*$|\|\s*$")
# "… trả lời chất vấn. Ảnh VGP/Thành Chung": a credit without its colon (agency/photographer) ending a line.
CREDIT_WITHOUT_COLON = re.compile(r"(?<=[.!?])\s+Ảnh\s+[A-ZĐ][\w.&-]*/[^|.,;:!?/]{2,40}$")
PHOTO_CREDIT = re.compile(
    r"(?P<caption>(?<=[.!?] )[^.!?]{3,200}?[.!?]?\s+)?(?:Ảnh|Nguồn ảnh)\s*:\s*"
    r"(?P<credit>[\wĐđ.&-]+(?:/[\w.]+)?(?:\s+(?!(?:Sáng|Chiều|Trưa|Tối|Ngày|Hôm)\s+(?:nay\s+)?\d)[A-ZĐ][^\s.,]*)*)"
)
# A related article's headline glued after a sentence: "… kiến nghị. Chủ tịch UBND X: 'Cơ hội …' …".
# Headlines quote with single marks; the article's own text quotes with double ones.
GLUED_HEADLINE = re.compile(r"(?<=[.!?…\"”] )(?:[^.!?:\"“”]|\.(?=\S)){3,80}: '[^']{3,120}'")
SETEXT_RULE = re.compile(r"^(?:=+|-+|\*{3,}|_{3,})$")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.DOTALL)
DATELINE = re.compile(
    r"(?:(?:Thứ \w+|Chủ nhật),\s*)?(?:\d{1,2}[/-]\d{1,2}[/-]\d{4}|\d{1,2} tháng \d{1,2},? \d{4})"
    r"(?:\s*\|.*|,? \d\d:\d\d.*)?"
)
DATE_HEADER = re.compile(r"^\s*date:?\s+(?P<value>(?:19|20)\d\d-\d\d(?:-\d\d)?)\s*", re.IGNORECASE)


@dataclass
class Layout:
    """A raw text taken apart: what is the article and what is around it."""

    headline: str | None
    paragraphs: list[str]
    source: str | None
    header: str = ""  # datelines, front matter: date hints
    context: list[str] = field(default_factory=list)  # captions, image paths: year hints only
    removed: list[str] = field(default_factory=list)  # boilerplate lines, for the record
    trailers: list[str] = field(default_factory=list)  # "more(HDDTVN) – …": the original lead, repeated

    @property
    def lead(self) -> str:
        """Where the event is announced: the first paragraphs' opening, and trailers."""
        opening = "\n".join(self.paragraphs)[:700]
        return "\n".join([opening, *self.trailers])


_HEADING_MARK = re.compile(r"^#{1,6}\s+")
_BLOCKQUOTE_MARK = re.compile(r"^>\s?")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def _strip_markdown(line: str, context: list[str]) -> str:
    # Most lines are plain prose: each pattern runs only when its marker character is there.
    if "[" in line:
        for image in MARKDOWN_IMAGE.finditer(line):
            context.append(" ".join(filter(None, (image["alt"], image["url"], image["title"]))))
        line = MARKDOWN_IMAGE.sub("", line)
        for link in MARKDOWN_LINK.finditer(line):
            context.append(link["url"])
        line = MARKDOWN_LINK.sub(lambda m: m["text"] if not m["text"].startswith(":") else "", line)
    if line.startswith("#"):
        line = _HEADING_MARK.sub("", line)
    if line.startswith(">"):
        line = _BLOCKQUOTE_MARK.sub("", line)
    if "**" in line or "__" in line:
        line = _BOLD.sub(lambda m: m.group(1) or m.group(2), line)
    return line.strip()


def _remove_photo_credits(line: str, context: list[str]) -> str:
    def cut(match: re.Match) -> str:
        context.append(match.group(0))
        credit = match["credit"].split()
        # "Ảnh: VGP/Quang Hiếu Phát biểu …": the last capitalised word before a
        # lower-case one starts the next sentence, not the credit.
        rest_after = line[match.end() : match.end() + 2]
        if len(credit) > 1 and rest_after.startswith(" ") and line[match.end() + 1 : match.end() + 2].islower():
            return " " + credit[-1]
        return " "

    if "Ảnh" not in line and "Nguồn ảnh" not in line:  # PHOTO_CREDIT's two openings
        return line
    return re.sub(r"\s{2,}", " ", PHOTO_CREDIT.sub(cut, line)).strip()


TEASER_TAIL = 800  # characters: a glued headline this close to the end starts the related-articles block


def _cut_glued_headlines(line: str, removed: list[str]) -> str:
    """Related articles' headlines glued into the text: near the end of the line everything from the
    first one on is the teaser block; elsewhere only the headline itself goes."""
    for teaser in reversed(list(GLUED_HEADLINE.finditer(line))):
        cut_to = len(line) if len(line) - teaser.start() <= TEASER_TAIL else teaser.end()
        removed.append(line[teaser.start() : cut_to])
        line = line[: teaser.start()] + line[cut_to:]
    return line


def _looks_like_headline(line: str, next_lines: list[str]) -> bool:
    words = line.split()
    return (
        2 <= len(words) <= 30
        and not re.search(r"[.:;,]$", line)
        and not AGENCY_TAG.match(line)
        and bool(next_lines)
        and line[0].isupper()
    )


def _looks_like_byline(line: str) -> bool:
    # "Thanh Nguyễn", "M.T", "Vũ Dũng/VOV", "HQ": a short line of names, no sentence.
    return (
        bool(re.fullmatch(r"(?:[A-ZĐ][\w.]*\.?)(?:\s+[A-ZĐ][\w.]*){0,3}(?:/[\w.]+)?(?:\s*\([^)]*\))?", line))
        and len(line) <= 40
    )


def split_layout(raw: str) -> Layout:
    text = clean_text(raw)
    header_parts: list[str] = []
    headline = None
    if front := FRONT_MATTER.match(text):
        header_parts.append(front["yaml"])
        if title := re.search(r"^title:\s*[\"']?(.+?)[\"']?$", front["yaml"], re.MULTILINE):
            headline = title.group(1).strip()
        text = text[front.end() :]
    if date_header := DATE_HEADER.match(text):
        header_parts.append(f"date {date_header['value']}")
        text = text[date_header.end() :]

    context: list[str] = []
    removed: list[str] = []
    source = None
    lines: list[str] = []
    trailers: list[str] = []
    raw_lines = text.split("\n")
    for index, original in enumerate(raw_lines):
        line = original.strip()
        if not line:
            continue
        if TEASER_HEADINGS.match(line):
            removed.extend(raw_lines[index:])
            break
        if SETEXT_RULE.match(line):
            continue
        line = _strip_markdown(line, context)
        if not line or re.fullmatch(r"[|\s]*", line):
            continue
        if match := SOURCE_LINE.match(line):
            source = source or match["source"].strip()
            removed.append(line)
            continue
        if WIDGET_LINES.match(line):
            removed.append(line)
            continue
        if CAPTION_LINE.search(line) and len(line) < 300:
            context.append(line)
            removed.append(line)
            continue
        if trailer := re.match(r"^more(?=\W|[A-ZĐ])\W*", line):
            line = line[trailer.end() :]
            trailers.append(line)
        line = _remove_photo_credits(line, context)
        line = _cut_glued_headlines(line, removed)
        if credit := CREDIT_WITHOUT_COLON.search(line):
            context.append(credit.group(0).strip())
            line = line[: credit.start()]
        line = re.sub(r"\s*\./\.\s*$", ".", line).strip()
        if line:
            lines.append(line)

    while lines and DATELINE.fullmatch(lines[0]):
        header_parts.append(lines.pop(0))

    # Agency tag at the start of the text (or after a headline).
    for position in range(min(2, len(lines))):
        if tag := AGENCY_TAG.match(lines[position]):
            source = (tag["paren"] or tag["bare"]).strip()
            lines[position] = lines[position][tag.end() :].strip()
            break

    # Bylines at the end.
    while lines and _looks_like_byline(lines[-1]):
        removed.append(lines.pop())

    if headline is None and lines and _looks_like_headline(lines[0], lines[1:]):
        headline = lines.pop(0)
    elif headline is not None and lines and lines[0] == headline:
        lines.pop(0)
    # A dateline line right under the headline ("7 tháng 12 2016", "Thứ hai, 12/12/2016 | 11:29").
    while lines and DATELINE.fullmatch(lines[0]):
        header_parts.append(lines.pop(0))
    return Layout(headline, lines, source, "\n".join(header_parts), context, removed, trailers)
