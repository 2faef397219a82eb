"""Each extraction rule on a small text written for the test."""

import datetime as dt

import pytest

from articles.extraction import boilerplate, dates, events, language, people, quotes
from articles.extraction.normalize import canonical_tones, clean_text, fold, match_key


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("hoá", "hóa"),
        ("hóa", "hóa"),
        ("Thuỷ", "Thủy"),
        ("Uỷ ban", "Ủy ban"),
        ("khoẻ", "khỏe"),
        ("hoàng", "hoàng"),  # closed syllable: one spelling only
        ("quý", "quý"),  # u belongs to qu
        ("huyền", "huyền"),
    ],
)
def test_tone_marks_have_one_placement(written, canonical):
    assert canonical_tones(written) == canonical


def test_nfd_text_is_composed_and_hoa_variants_match():
    decomposed = "Ho\u0302\u0323i nghi\u0323"  # "Hội nghị" typed with combining marks
    assert clean_text(decomposed) == "Hội nghị"
    assert match_key("thương mại hoá") == match_key("Thương mại hóa")
    assert fold("Đà Nẵng") == "da nang"


def test_language_check_separates_vietnamese_from_english():
    assert language.is_vietnamese("Thủ tướng nhấn mạnh vai trò quan trọng của truyền thông chính sách.")
    assert not language.is_vietnamese("The Prime Minister stressed the importance of policy communication.")


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        ("Ngày 18-12, Bộ tổ chức Hội nghị tổng kết công tác năm 2022, triển khai nhiệm vụ năm 2023.", "", "2022-12-18"),
        ("Sáng 12-1, Bộ tổ chức tổng kết năm 2020 và triển khai nhiệm vụ năm 2021.", "", "2021-01-12"),
        ("Hội nghị diễn ra hôm nay, 27/9, tại Hà Nội.", "date 2022-09", "2022-09-27"),
        ("Chiều nay, ngày 11/5/2017, Bộ tổ chức lễ ký cam kết.", "", "2017-05-11"),
        ("Sáng nay (3/7), Chính phủ họp. Quang cảnh phiên họp tháng 6/2017.", "", "2017-07-03"),
        ("Chiều 14/6, Quốc hội chất vấn Bộ trưởng.", "", None),  # no year anywhere: unknown
        ("Từ ngày 4.1.2017 - 4.1.2018, có 34.118 phương tiện vi phạm.", "", None),  # a range is not an event
    ],
)
def test_event_date_and_its_year(body, header, expected):
    found = dates.find_event_date(body, header=header)
    assert (found.date.isoformat() if found.date else None) == expected, found.evidence


def names_and_titles(text):
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    return [(m.name, m.role.title if m.role else None) for m in mentions]


def test_deputy_prime_minister_is_never_the_prime_minister():
    text = "Phó Thủ tướng Vũ Đức Đam phát biểu. Phó Thủ tướng nhấn mạnh vai trò của dữ liệu."
    assert names_and_titles(text) == [("Vũ Đức Đam", "Phó Thủ tướng"), ("Vũ Đức Đam", "Phó Thủ tướng")]


def test_organisation_is_not_a_name():
    text = "Bộ trưởng Bộ Khoa học và Công nghệ Huỳnh Thành Đạt cho biết."
    mention = people.find_mentions(text)[0]
    assert mention.name == "Huỳnh Thành Đạt"
    assert mention.role == people.Role("Bộ trưởng", "Bộ Khoa học và Công nghệ")


def test_title_chain_picks_the_working_role():
    text = "Đồng chí Phạm Minh Chính - Ủy viên Bộ Chính trị, Thủ tướng Chính phủ, Chủ tịch Ủy ban Quốc gia đã dự."
    assert names_and_titles(text)[0] == ("Phạm Minh Chính", "Thủ tướng")


def test_references_resolve_to_the_person_named_earlier():
    text = (
        "Bộ trưởng Nguyễn Mạnh Hùng khai mạc hội nghị. Người đứng đầu ngành TT&TT cho biết kết quả. "
        "Ông Hùng nói thêm về dữ liệu."
    )
    assert [name for name, _ in names_and_titles(text)] == ["Nguyễn Mạnh Hùng"] * 3


def test_place_before_a_name_is_not_part_of_it():
    assert people.name_in_run("Sở TT&TT Quảng Ninh Lê Ngọc Hân") == "Lê Ngọc Hân"
    assert people.name_in_run("Nguyễn Thị Kim Thúy") == "Nguyễn Thị Kim Thúy"


def speakers_of(text):
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    return [(q.text[:25], q.speaker, q.method) for q in quotes.extract_quotes(text, mentions)]


def test_quote_attributed_by_a_verb_after_it():
    text = (
        "Thủ tướng Phạm Minh Chính dự hội nghị.\n"
        '"Truyền thông phải đi đầu chứ không phải đi theo"- Thủ tướng nhấn mạnh.'
    )
    assert speakers_of(text) == [("Truyền thông phải đi đầu ", "Phạm Minh Chính", "verb_after")]


def test_quote_attributed_by_a_verb_before_it():
    text = "Bộ trưởng Nguyễn Mạnh Hùng khẳng định: “Năm 2023 là năm dữ liệu số Việt Nam và của chuyển đổi số.”"
    assert speakers_of(text)[0][1:] == ("Nguyễn Mạnh Hùng", "verb_before")


def test_nested_quotes_stay_inside_their_quote():
    text = "Thủ tướng Nguyễn Xuân Phúc nói: “Việc triển khai còn “thiếu lửa”, không quyết liệt, phải sửa ngay.”"
    found = speakers_of(text)
    assert len(found) == 1
    assert found[0][1] == "Nguyễn Xuân Phúc"


@pytest.mark.parametrize(
    "text",
    [
        "Bộ sẽ mang tri thức Việt Nam đi “mở cõi”.",
        "Thủ tướng lưu ý thực hiện với tinh thần “Đúng - Đủ - Sạch - Sống”.",
        "Bộ khởi động chương trình lớn về “Make in Vietnam” và chuyển đổi số.",
        "Ông được phong tặng danh hiệu “Anh hùng Lao động” năm 2010.",
    ],
)
def test_short_terms_and_slogans_are_not_speech(text):
    assert speakers_of(text) == []


def test_a_quote_nobody_is_credited_with_stays_unattributed():
    text = "Hội nghị kết thúc.\n“Chúng ta phải làm nhanh hơn nữa, quyết liệt hơn nữa trong năm tới để đạt mục tiêu.”"
    assert speakers_of(text) == [("Chúng ta phải làm nhanh h", None, "unattributed")]


def test_boilerplate_leaves_the_body():
    raw = (
        "(HNMO) - Sáng 12-1, Bộ tổ chức hội nghị tổng kết năm 2020 với nhiều nội dung quan trọng.\n"
        "![]() |\n"
        "Thủ tướng phát biểu tại hội nghị. Ảnh: VGP |\n"
        "Nội dung chính của bài viết về chuyển đổi số quốc gia./.\n"
        "HQ (Nguồn: Cổng thông tin điện tử Chính phủ)\n"
        "(*) Không sao chép dưới mọi hình thức khi chưa có sự đồng ý bằng văn bản.\n"
        "Đọc thêm\n"
        "Phó Bí thư Nguyễn Hồng Phong thăm xã Biện Thượng\n"
        "Bình luận\n"
    )
    layout = boilerplate.split_layout(raw)
    body = "\n".join(layout.paragraphs)
    assert layout.source == "HNMO"
    assert body == (
        "Sáng 12-1, Bộ tổ chức hội nghị tổng kết năm 2020 với nhiều nội dung quan trọng.\n"
        "Nội dung chính của bài viết về chuyển đổi số quốc gia."
    )


def test_inline_photo_credit_is_cut_from_the_sentence():
    raw = (
        "Tiêu đề bài báo về phiên họp\n"
        "Chính phủ họp. Quang cảnh phiên họp. Ảnh: VGP/Quang Hiếu Phát biểu khai mạc, Thủ tướng nêu rõ."
    )
    layout = boilerplate.split_layout(raw)
    assert "Quang Hiếu" not in " ".join(layout.paragraphs)
    assert "Phát biểu khai mạc" in " ".join(layout.paragraphs)


def test_date_is_a_real_date():
    assert dates.find_event_date("Ngày 18-12, hội nghị tổng kết năm 2022 diễn ra.").date == dt.date(2022, 12, 18)


@pytest.mark.parametrize(
    ("lede", "organiser"),
    [
        (
            "Ngày 22-4, tại Cần Thơ, Bộ Khoa học và Công nghệ tổ chức Hội nghị tập huấn nghiệp vụ.",
            "Bộ Khoa học và Công nghệ",
        ),
        ("Sáng 3/4, Bộ Giao thông vận tải đã tổ chức Hội nghị tập huấn nghiệp vụ.", "Bộ Giao thông vận tải"),
        ("Hội nghị tập huấn của Bộ Nông nghiệp và Phát triển nông thôn.", "Bộ Nông nghiệp và Phát triển nông thôn"),
        ("Hội nghị tập huấn. Bộ Y tế triển khai nhiệm vụ mới.", "Bộ Y tế"),
    ],
)
def test_event_organiser_is_the_whole_ministry_name(lede, organiser):
    assert events.find_event([lede], None).organiser == organiser


def test_headline_without_full_stop_does_not_run_into_the_lede():
    event = events.find_event(["Ngày 22-4, Bộ Y tế tổ chức Hội nghị tập huấn năm 2020."], "Hội nghị tập huấn năm 2020")
    assert event.name == "Hội nghị tập huấn năm 2020"
