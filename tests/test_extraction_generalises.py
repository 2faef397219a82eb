"""Extraction on the shapes real news text takes, each on sentences written for the test.

Every case here was read wrong before the rule it tests existed: references by title with
their organisation, joined titles, pronouns, quotes left open, the paragraph's speaker, and
the year of a date written as day and month only.
"""

import datetime as dt

import pytest

from articles.extraction import RejectedText, dates, extract_article, people, quotes


def attributions(text):
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    return [(q.text[:20], q.speaker) for q in quotes.extract_quotes(text, mentions)]


def test_a_title_with_its_organisation_refers_back_to_the_person():
    text = (
        "Chủ tịch UBND tỉnh Bến Tre Lò Văn Tám chủ trì cuộc họp.\n"
        "“Chúng ta phải giải quyết dứt điểm việc này trong tháng tới”, Chủ tịch UBND tỉnh nói."
    )
    assert attributions(text) == [("Chúng ta phải giải q", "Lò Văn Tám")]


def test_the_organisation_tells_two_holders_of_one_title_apart():
    text = (
        "Giám đốc Sở Y tế Lò Văn Tám và Giám đốc Sở Tài chính Đinh Công Hậu dự họp.\n"
        "“Bệnh viện tuyến huyện cần thêm bác sĩ ngay trong năm nay”, Giám đốc Sở Y tế cho biết."
    )
    assert attributions(text) == [("Bệnh viện tuyến huyệ", "Lò Văn Tám")]


def test_a_title_two_people_hold_stays_unattributed():
    text = (
        "Thứ trưởng Lò Văn Tám và Thứ trưởng Đinh Công Hậu cùng dự họp.\n"
        "“Các địa phương phải báo cáo đầy đủ số liệu trước cuối tháng này”, Thứ trưởng nói."
    )
    assert attributions(text) == [("Các địa phương phải ", None)]


def test_two_titles_of_one_person_are_one_reference():
    text = (
        "Tổng Bí thư, Chủ tịch nước Hà Minh Quân dự phiên khai mạc.\n"
        '"Thể chế phải đi trước một bước để mở đường cho phát triển", Tổng Bí thư, Chủ tịch nước nhấn mạnh.'
    )
    assert attributions(text) == [("Thể chế phải đi trướ", "Hà Minh Quân")]


def test_a_pronoun_refers_to_the_last_person_of_its_gender():
    text = (
        "Bộ trưởng Phan Thị Mai Anh trả lời báo chí. Ông Lò Văn Tám, một cử tri, cũng có mặt.\n"
        '"Mức lương cơ sở chưa thể bãi bỏ trong năm nay vì còn nhiều bất cập", bà nói.'
    )
    assert attributions(text) == [("Mức lương cơ sở chưa", "Phan Thị Mai Anh")]


def test_according_to_a_pronoun():
    text = (
        "Ông Lò Văn Tám phát biểu tại hội trường.\n"
        'Theo ông, "nếu làm đúng quy định thì không cần ban hành thêm một nghị quyết nào nữa".'
    )
    assert attributions(text) == [("nếu làm đúng quy địn", "Lò Văn Tám")]


def test_a_name_cut_short_by_a_teaser_is_the_full_name():
    text = (
        "Sáng nay, Thủ tướng Hà Minh …\n"
        "Thủ tướng Hà Minh Quân phát biểu tại hội nghị.\n"
        "“Nông nghiệp là bệ đỡ của nền kinh tế trong mọi hoàn cảnh”, Thủ tướng nói."
    )
    assert attributions(text) == [("Nông nghiệp là bệ đỡ", "Hà Minh Quân")]


def test_a_quote_whose_closing_mark_is_missing_ends_before_its_attribution():
    text = (
        "Tổng Bí thư Hà Minh Quân phát biểu.\n"
        "“Thể chế là điểm nghẽn của điểm nghẽn trong giai đoạn này, Tổng Bí thư nhấn mạnh."
    )
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    found = quotes.extract_quotes(text, mentions)
    assert [(q.text, q.method) for q in found] == [
        ("Thể chế là điểm nghẽn của điểm nghẽn trong giai đoạn này", "verb_after")
    ]


def test_a_quote_over_two_paragraphs_takes_the_attribution_of_the_last():
    text = (
        "Ông Lò Văn Tám phát biểu tại buổi tiếp xúc cử tri.\n"
        "“Chúng tôi đã kiến nghị nhiều lần về việc sửa con đường liên xã này.\n"
        "“Đến nay vẫn chưa có câu trả lời nào từ các cơ quan chức năng”, ông Tám nói."
    )
    assert attributions(text) == [("Chúng tôi đã kiến ng", "Lò Văn Tám"), ("Đến nay vẫn chưa có ", "Lò Văn Tám")]


def test_the_paragraphs_speaker_when_no_one_else_comes_between():
    text = (
        "Bộ trưởng Phan Thị Mai Anh cho biết lương cơ sở sẽ tăng 30% từ tháng 7. "
        "Trước hết, hệ số lương được giữ nguyên. "
        "“Các cơ quan phải thận trọng nghiên cứu từng bước khi sửa đổi chế độ tiền lương.”"
    )
    assert attributions(text) == [("Các cơ quan phải thậ", "Phan Thị Mai Anh")]


def test_someone_else_speaking_in_between_blocks_the_paragraphs_speaker():
    text = (
        "Ông Lò Văn Tám cho biết gia đình đã gửi đơn từ tháng trước. "
        "Vợ ông Tám kể lại sự việc với phóng viên. "
        "“Tôi chờ ba tháng mà chưa ai trả lời đơn của gia đình tôi cả.”"
    )
    assert attributions(text) == [("Tôi chờ ba tháng mà ", None)]


def test_words_an_unnamed_person_is_introduced_saying_are_not_the_next_speakers():
    text = (
        "Chủ tịch UBND huyện Lò Văn Tám chủ trì họp. Có người dân bức xúc nói: "
        "“Tôi chờ ba tháng mà chưa ai giải quyết hồ sơ của gia đình”, Chủ tịch UBND huyện dẫn chứng."
    )
    assert attributions(text) == [("Tôi chờ ba tháng mà ", None)]


def test_a_quoted_theme_after_la_is_not_speech():
    text = "Ông Lò Văn Tám cho biết, chủ đề năm nay là: “Năm đẩy mạnh chuyển đổi số và cải cách hành chính toàn diện”."
    assert attributions(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Các hội viên Câu lạc bộ Trần Hưng Đạo cũng đề nghị tăng cường phòng chống tham nhũng.",
        "Tuần sau các chuyên gia Hà Lan sẽ sang trồng thử nghiệm giống mới.",
        "Ông Lò Văn Tám sống ở quận Hà Đông cho biết sẽ đi họp.",
    ],
)
def test_places_clubs_and_streets_are_not_people(text):
    names = {m.name for m in people.find_mentions(text) if m.name}
    assert names <= {"Lò Văn Tám"}


def test_names_are_kept_in_one_tone_mark_convention():
    assert people.find_mentions("Phó Thủ tướng Trương Hoà Bình phát biểu.")[0].name == "Trương Hòa Bình"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # the National Assembly's term and session fix the year, in digits or in words
        ("Chiều 13/6, tại kỳ họp thứ 3 Quốc hội khóa XIV, đại biểu chất vấn Bộ trưởng.", "2017-06-13"),
        ("Sáng 28/6, sau Kỳ họp thứ chín, Quốc hội khoá XV, cử tri gặp đại biểu.", "2025-06-28"),
        # the Assembly sitting on the day, in the one year whose session sat in that month
        ("Sáng 8-12, Quốc hội thảo luận tại hội trường về dự thảo nghị quyết.", "2025-12-08"),
        ("Chiều 14/6, Quốc hội chất vấn Bộ trưởng về quy hoạch.", None),  # June: many years
        # the anniversary's span
        ("Chiều 28/6, bệnh viện tổ chức lễ kỷ niệm 60 năm thành lập (1965-2025).", "2025-06-28"),
        # the year naming the current period, or the event itself
        ("Sáng 26/6, cử tri nghe báo cáo kết quả 6 tháng đầu năm 2017 của thành phố.", "2017-06-26"),
        ("Sáng 12/11, VCCI tổ chức Diễn đàn Doanh nghiệp Việt Nam 2020 tại Hà Nội.", "2020-11-12"),
        # a date of the same story written in full
        ("Chiều ngày 31/5, Bộ trưởng trả lời báo chí về sự cố xảy ra từ ngày 29/5/2017.", "2017-05-31"),
        # a dated event told as just past bounds the year; one told as merely past does not (years may lie between)
        ("Chiều 13/6, Bộ trưởng trả lời chất vấn. Ngày 15/2/2017 vừa qua, quy hoạch đã được công bố.", "2017-06-13"),
        ("Tối 23-5, tổ máy số 1 hòa lưới điện. Dự án được khởi công vào ngày 22-2-2015.", None),
        # the first date of a span is its past: the anniversary is the last
        (
            "Sáng 22-5, thành phố đặt tên đường nhân kỷ niệm 90 năm ngày sinh của ông (22-5-1927 - 22-5-2017).",
            "2017-05-22",
        ),
        # a compared year, a birth year or a target is not the event's year
        ("Sáng 6-2, sở báo cáo doanh thu tăng 10% so với năm 2016.", None),
        ("Sáng 6-2, ông Tám, sinh năm 1990, trình bày kế hoạch đến năm 2030.", None),
        # evidence that disagrees leaves the year unknown
        ("Sáng 26/6, báo cáo 6 tháng đầu năm 2017 và nhiệm vụ năm 2018 được thông qua.", None),
    ],
)
def test_the_year_of_a_day_and_month_comes_from_evidence_in_the_text(body, expected):
    found = dates.find_event_date(body)
    assert (found.date.isoformat() if found.date else None) == expected, found.evidence


def test_an_image_path_in_an_html_page_dates_the_event():
    page = (
        "<html><body><div><p><img src='http://example.vn/images/042014/01/12/anh.jpg'></p>"
        "<p>Hôm nay, 1/4, Ủy ban Thường vụ Quốc hội tiến hành chất vấn Bộ trưởng Bộ Công thương.</p>"
        "<p>Đại biểu Lò Văn Tám cho biết, tỉnh có nhiều diện tích nuôi tôm phải dùng máy phát điện.</p>"
        "</div></body></html>"
    )
    assert extract_article(page, file_name="page.txt").date == dt.date(2014, 4, 1)


def test_a_photo_credit_does_not_swallow_the_date_after_it():
    raw = (
        "Tiêu đề bài viết về phiên thảo luận\n"
        "Đại biểu Lò Văn Tám - Ảnh: GIA HÂN Sáng 8-12, Quốc hội thảo luận tại hội trường về dự thảo nghị quyết."
    )
    assert "8-12" in extract_article(raw, file_name="caption.txt").date_evidence


def test_a_question_quoted_as_someones_belongs_to_them_not_to_who_answers():
    text = (
        "Để trả lời câu hỏi của đại biểu Lò Văn Tám (tỉnh Bến Tre) về việc “khi nào tình trạng thiếu điện "
        "ở vùng nuôi tôm được khắc phục”, Bộ trưởng Đinh Công Hậu cho biết sẽ trình phương án."
    )
    assert attributions(text) == [("khi nào tình trạng t", "Lò Văn Tám")]


def test_a_quote_inside_a_sentence_whose_subject_speaks():
    text = (
        "Bộ trưởng Lò Văn Tám chỉ ra một số bất cập như ruộng đất manh mún, "
        "“cả nước có hàng triệu mảnh ruộng nhỏ thì làm sao sản xuất lớn được”."
    )
    assert attributions(text) == [("cả nước có hàng triệ", "Lò Văn Tám")]


def test_a_slogan_inside_reported_speech_is_not_a_quote():
    text = "Bộ trưởng Lò Văn Tám nhấn mạnh yêu cầu đào tạo nhân lực số để “bắt kịp, tiến cùng và vượt lên”."
    assert attributions(text) == []


def speaker_names(raw):
    return [speaker.name for speaker in extract_article(raw, file_name="fixture.txt").speakers]


def test_according_to_someone_with_a_title_chain_makes_them_a_speaker():
    raw = (
        "Tiêu đề bài viết về sân bay\n"
        "Theo ông Lò Văn Tám, Phó Chủ tịch UBND TP.HCM, hiện nay các vấn đề quanh sân bay đã có chỉ đạo giải quyết."
    )
    assert speaker_names(raw) == ["Lò Văn Tám"]


def test_qualifications_written_before_a_name_do_not_hide_the_speaker():
    raw = (
        "Tiêu đề bài viết về bệnh viện\n"
        "Phát biểu khai mạc, Tiến sĩ, Bác sĩ Chuyên khoa II Ngọ Văn Tám, Giám đốc ôn lại chặng đường 60 năm."
    )
    assert speaker_names(raw) == ["Ngọ Văn Tám"]


def test_a_related_articles_headline_glued_after_the_text_is_not_the_article():
    raw = (
        "Tiêu đề bài viết về nghị quyết\n"
        "Bà Phan Thị Mai Anh cho biết, nghị quyết cần khái quát hơn nữa để dễ áp dụng vào thực tế. "
        "Chủ tịch UBND tỉnh Lò Văn Tám: 'Cơ hội quý hơn vàng' để tỉnh bứt phá "
        "Chủ tịch UBND tỉnh Lò Văn Tám chia sẻ như vậy trong buổi làm việc."
    )
    assert speaker_names(raw) == ["Phan Thị Mai Anh"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # the post date in a front matter, in the mail format feeds use, fixes the year
        (
            "---\ndate: Tue, 09 Apr 2024 10:00:00 +0700\n---\n"
            "Sáng 8/4, Bộ Tài chính họp báo về giá vàng và các biện pháp bình ổn thị trường.",
            "2024-04-08",
        ),
        # a day and month weeks after the post date is a plan, not the event
        ("---\ndate: 2024-04-10\n---\nNgày 3/5, huyện đảo sẽ khai mạc lễ hội văn hóa biển lớn nhất trong năm.", None),
        # a full date long before the post date is background
        ("---\ndate: 2024-04-30\n---\nNgày 31/3/1975, quân ta giải phóng thành phố sau nhiều ngày chiến đấu.", None),
        # a full date after the post date stands when an image path agrees: the post date is a repost's
        (
            "---\ndate: 2017-09-07\nimage: images/2018-03-22-ky-ket.jpg\n---\n"
            "Ngày 22/3/2018, hai bên ký kết thỏa thuận hợp tác về công nghệ.",
            "2018-03-22",
        ),
    ],
)
def test_the_post_date_bounds_the_event(raw, expected):
    found = extract_article(raw, file_name="post.txt")
    assert (found.date.isoformat() if found.date else None) == expected, found.date_evidence


def test_a_date_of_history_in_news_that_names_a_later_year_is_not_the_event():
    body = "Ngày 5/5/1945, tại đây diễn ra trận đánh lịch sử. Năm 2017, tỉnh trùng tu lại khu di tích."
    assert dates.find_event_date(body).date is None


def test_a_squad_list_full_of_foreign_names_is_still_vietnamese():
    raw = (
        "Danh sách đội tuyển Tây Ban Nha\n"
        "Thủ môn: David de Gea, Pepe Reina, Kepa Arrizabalaga. Hậu vệ: Sergio Ramos, Gerard Pique, Jordi Alba, "
        "Dani Carvajal, Nacho Fernandez, Cesar Azpilicueta. Tiền vệ: Sergio Busquets, Andres Iniesta, David Silva, "
        "Isco, Koke, Thiago Alcantara. Tiền đạo: Diego Costa, Rodrigo Moreno, Iago Aspas, Lucas Vazquez. "
        "Đây là danh sách được công bố và các cầu thủ có mặt tại trại tập trung của đội trong tuần này."
    )
    assert extract_article(raw, file_name="squad.txt").language == "vi"


def test_a_near_empty_teaser_is_rejected_as_too_short_not_as_foreign():
    with pytest.raises(RejectedText, match="too short"):
        extract_article("Xem thêm tin\nĐọc tiếp bài", file_name="teaser.txt")


def test_an_attribution_to_someone_unnamed_keeps_the_quote_from_the_paragraphs_speaker():
    text = (
        "Bác sĩ Lò Văn Tám cho biết bệnh nhi đã qua cơn nguy kịch sau ca mổ kéo dài. "
        "“Sau tiếng súng, cháu khóc thét, mắt chảy máu, gia đình lập tức đưa cháu đi bệnh viện”, ba của bé nói."
    )
    assert attributions(text) == [("Sau tiếng súng, cháu", None)]


def test_a_quote_after_a_colon_belongs_to_that_sentence_or_to_no_one():
    text = (
        "Ông Lò Văn Tám cho biết nhóm đã trình báo công an từ tháng trước.\n"
        "Sau đó, công an quận gửi thông báo tới những người lao động với kết luận: "
        "“Tài liệu thu thập được chưa đủ căn cứ xác định có hành vi lừa đảo chiếm đoạt tài sản.”"
    )
    assert attributions(text) == [("Tài liệu thu thập đư", None)]


def test_a_pronoun_after_someone_we_cannot_name_stays_unresolved():
    text = (
        "Thủ tướng Hà Minh Quân tiếp Chủ tịch Tập đoàn Alphabet. "
        "Ông cũng bày tỏ ấn tượng về người dùng Việt Nam khi “thấy rất nhiều người Việt Nam dùng dịch vụ "
        "cho mục đích học tập mỗi ngày”."
    )
    pronoun = next(m for m in people.find_mentions(text) if m.kind == "pronoun")
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    assert next(m for m in mentions if m.start == pronoun.start).name is None
    assert all(speaker is None for _, speaker in attributions(text))


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a short clause after the quote names the speaker, whatever its verb
        (
            "Ông Lò Văn Tám và ông Đinh Công Hậu ngồi cạnh nhau.\n“Có người bảo tôi đi kiện là tố cáo láo, "
            "là vô công rồi nghề”, ông Hậu rơm rớm nước mắt kể.",
            "Đinh Công Hậu",
        ),
        # ... or someone we cannot name: nobody else gets the words
        (
            "Ông Đoàn Văn Tám cho biết con trai ông xin đi làm xa nhà.\n“Nó muốn chạy xe dịch vụ. Chúng tôi "
            "chưa kịp mua xe cho con thì xảy ra chuyện”, mẹ của bị cáo nức nở.",
            None,
        ),
        (
            "Bác sĩ Lò Văn Tám điều trị cho bệnh nhân.\n“Người dân không nên đợi bị thương rồi mới tiêm "
            "phòng uốn ván”, bác sỹ Đinh Công Hậu cảnh báo.",
            "Đinh Công Hậu",
        ),
    ],
)
def test_the_clause_after_a_quote_says_who_spoke(text, speaker):
    assert attributions(text)[0][1] == speaker


def test_the_one_asked_before_a_colon_is_not_the_speaker():
    text = "MC Quyền Linh ngay lập tức hỏi anh Lò Văn Tám: “Liệu em có nuôi nổi cô ấy không, em nghĩ kỹ chưa?”"
    assert attributions(text)[0][1] is None


@pytest.mark.parametrize(
    "text",
    [
        "Nhà phân tích Ken Foong nhận định hãng xe cần thêm thời gian.\n"
        "“Sẽ không dễ để thành công tại thị trường này trong vài năm tới”, ông nói.",
        "John Duerden rất ấn tượng với các cầu thủ trẻ. Ông nói: “Tôi rất thích tâm lý của các cầu thủ hôm nay "
        "vì họ chơi với quyết tâm rất cao.”",
    ],
)
def test_a_foreign_name_is_a_person_a_pronoun_can_stand_for(text):
    text = "HLV Lò Văn Tám dự buổi họp báo.\n" + text
    assert attributions(text)[0][1] in {"Ken Foong", "John Duerden"}


def test_a_verb_that_is_also_a_noun_inside_a_name_is_not_speech():
    raw = (
        "Tiêu đề bài viết về hợp tác\n"
        "Sự kiện có Bộ trưởng Bộ Khoa học và Công nghệ thông tin Hàn Quốc Young Min You và Thứ trưởng "
        "Lò Văn Tám. Thứ trưởng Lò Văn Tám cho biết, hai bên sẽ ký bản ghi nhớ về công nghệ số."
    )
    assert speaker_names(raw) == ["Lò Văn Tám"]


def test_a_shop_named_after_people_is_not_the_speaker():
    text = (
        "Ông Ngô Đức Phương, chủ đại lý tạp hóa Phương Huế cho biết: “Năm ngoái gia đình tôi không cẩn trọng "
        "nên đã bị mất một lần cây quất.”"
    )
    assert attributions(text)[0][1] == "Ngô Đức Phương"


def test_a_source_named_at_the_head_of_a_sentence_is_not_a_person():
    text = "Theo Politico, Tổng thống Donald Trump thừa nhận rằng Nhà Trắng là nơi quá hiếu chiến."
    assert "Theo Politico" not in {m.name for m in people.find_mentions(text)}


def test_an_attribution_clause_without_a_comma():
    text = (
        "Nhà phân tích Omar Akhtar nói về thị trường quảng cáo. Chuyên gia Lò Văn Tám cũng có mặt.\n"
        "“Nhìn vào sự chênh lệch giữa máy tính và điện thoại, tiềm năng tăng trưởng còn rất lớn” Beck nhận định."
    )
    assert attributions(text)[-1][1] is None


def test_a_longer_name_glued_to_a_heading_does_not_replace_the_name():
    text = "Nghệ nhân Nguyễn Việt Hùng chia sẻ về trà sen.\nNghệ nhân trà Nguyễn Việt Hùng Tinh hoa trà Việt"
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    assert mentions[0].name == "Nguyễn Việt Hùng"


def test_a_foreign_name_cited_by_a_news_agency_is_a_person():
    text = "Reuters dẫn lời Andray Abrahamian thuộc một tổ chức đào tạo ở Singapore."
    assert "Andray Abrahamian" in {m.name for m in people.find_mentions(text)}


def test_a_bank_branch_named_after_someone_is_not_a_person():
    text = "Phía Agribank chi nhánh Mạc Thị Bưởi có văn bản gửi ông, nội dung thông báo khoản tiền bị phong tỏa."
    assert "Mạc Thị Bưởi" not in {m.name for m in people.find_mentions(text)}


def test_a_title_with_a_given_name_refers_only_to_that_person():
    text = (
        "HLV Frank Bernhardt của U23 Malaysia dự họp báo.\n"
        "Học trò của HLV Hữu Thắng, tiền vệ Lò Văn Tám nói: “Malaysia là một đội mạnh, chúng tôi rất háo hức.”"
    )
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    given = next(m for m in mentions if m.given == "Hữu Thắng")
    assert given.name is None  # no Nguyễn Hữu Thắng is named: not the other coach


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # a title and its organisation before the only name, and a long clause ending on the verb
        (
            "“Đến năm sau thành phố sẽ có thêm bốn mươi nghìn căn hộ cho công nhân”, PGĐ Sở Xây dựng "
            "Lò Văn Tám khẳng định.",
            "Lò Văn Tám",
        ),
        (
            "“Hệ thống sẽ theo dõi tất cả các cuộc liên lạc điện thoại trong tòa nhà”, ông Dmitry Litvinov, "
            "người đứng đầu Trung tâm An toàn và An ninh tích hợp cho biết.",
            "Dmitry Litvinov",
        ),
        # a foreign name opening the clause, a bare given name of someone named before, a cited name
        (
            "“Chúng tôi muốn tạo ra một mẫu xe nhìn trẻ trung hơn mọi năm”, David Widmann thuộc NCT cho biết.",
            "David Widmann",
        ),
        (
            "Thanh niên Lò Minh Sang tình nguyện nhập ngũ.\n“Em luôn mong muốn được rèn luyện trong quân ngũ "
            "và hứa sẽ cố gắng”, Sang nói.",
            "Lò Minh Sang",
        ),
        (
            "Viện trưởng Đinh Công Đoan trả lời báo chí.\n“Khó khăn là tài liệu, chứng cứ chưa đầy đủ nên phải "
            "điều tra thêm”, Zing.vn dẫn lời ông Đoan.",
            "Đinh Công Đoan",
        ),
    ],
)
def test_the_clause_after_a_quote_in_its_longer_forms(text, speaker):
    assert attributions(text)[0][1] == speaker


def test_a_company_written_without_marks_is_not_a_foreign_person():
    text = "Dự án được tỉnh và Tập đoàn Hoa Sen đề xuất triển khai từ năm trước."
    assert "Hoa Sen" not in {m.name for m in people.find_mentions(text)}


def roles_of(text):
    mentions = people.find_mentions(text)
    return {m.name: m.role for m in mentions if m.name}


def test_a_title_before_another_persons_title_and_name_is_not_that_persons_role():
    text = "Tổng thống Mỹ Donald Trump sẽ tiếp đón Thủ tướng Lò Văn Tám tại Nhà Trắng."
    assert roles_of(text)["Lò Văn Tám"] == people.Role("Thủ tướng")


def test_a_list_of_people_gives_nobody_the_next_ones_title():
    text = "Dự hội nghị có ông Lò Văn Tám, Phó Thủ tướng Đinh Công Hậu và các bộ trưởng."
    assert roles_of(text)["Lò Văn Tám"] is None
    assert roles_of(text)["Đinh Công Hậu"] == people.Role("Phó Thủ tướng")


def test_two_titles_joined_by_a_dash_are_one_persons():
    text = "Báo hôm nay dẫn lời Bộ trưởng - Chủ nhiệm Văn phòng Chính phủ Lò Văn Tám về việc này."
    assert "Lò Văn Tám" in roles_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "Tiền đạo người Tây Ban Nha đã cho biết sẽ rời câu lạc bộ vào cuối mùa.",
        "Dịp Tết Đinh Dậu, HLV Lò Văn Tám cho các cầu thủ nghỉ ba ngày.",
        "Ông Lò Văn Tám, Bộ trưởng Bộ Giáo dục và Đào Tạo cho biết sẽ sửa quy chế thi.",
    ],
)
def test_names_inside_places_years_and_ministries_are_not_people(text):
    assert set(roles_of(text)) <= {"Lò Văn Tám"}


def test_continuation_needs_a_paragraph_of_its_own():
    text = (
        "“Võ công thật sự phải được truyền thụ đúng cách từ đời này qua đời khác”, ông Lò Văn Tám nói. "
        "Phóng viên cũng hỏi cụ Đinh Công Hậu về chuyện này. "
        "“Trước đây tập quyền không thể đổi lấy cái ăn, nay thì luyện quyền cũng nuôi sống được bản thân.”"
    )
    assert attributions(text)[1][1] is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anh Vinh thốt lên qua điện thoại rằng giá xăng tăng quá nhanh.", None),
        ("Cô gái Đỗ Phương Thủy tham gia chương trình. Phương Thủy cho biết cô ăn rất nhiều.", "Đỗ Phương Thủy"),
        ("Kim Chul-ung, một giáo viên 39 tuổi, nói với phóng viên về hàng nội địa.", "Kim Chul-ung"),
    ],
)
def test_names_are_read_whole(text, name):
    mentions = people.find_mentions(text)
    people.resolve(mentions)
    names = {m.name for m in mentions if m.name}
    assert names == ({name} if name else set())


def test_a_pronoun_never_stands_for_the_object_of_a_preposition():
    text = (
        "Tỷ phú Lò Văn Tám bị cáo buộc là làm việc cho Đinh Công Hậu, ông giải thích: “Tôi không làm việc "
        "cho ai cả, tôi chỉ cố gắng đưa ra lời khuyên tốt hơn.”"
    )
    assert attributions(text)[0][1] == "Lò Văn Tám"


def test_a_coach_called_by_title_and_surname_is_that_coach():
    text = (
        "HLV Arsene Wenger từng muốn mua cầu thủ này. HLV trưởng AC Milan, ông Vincenzo Montella, thúc giục "
        "thủ môn ký hợp đồng mới.\n“AC Milan đang nỗ lực hết sức mình để đảm bảo đội hình chất lượng nhất có thể”"
        " – HLV Montella nói với kênh Mediaset."
    )
    assert attributions(text)[0][1] == "Vincenzo Montella"


def test_a_quoted_theme_after_ve_is_a_topic_not_speech():
    text = (
        "Bộ trưởng Lò Văn Tám cho biết hội nghị đã triển khai hiệu quả các ưu tiên của năm về "
        "“Tạo động lực mới, cùng vun đắp tương lai chung của khu vực”."
    )
    assert attributions(text) == []


def test_a_country_at_the_head_of_a_foreign_run_is_no_name():
    text = "Sau đó, báo Tây Ban Nha Marca cho biết tiền đạo đã ký hợp đồng năm năm với câu lạc bộ."
    assert {m.name for m in people.find_mentions(text) if m.name} == set()


def test_a_pronoun_never_stands_for_someone_named_inside_a_quote():
    raw = (
        "Tiêu đề bài viết về kê khai tài sản\n"
        "Luật sư Lò Văn Tám cho rằng việc kê khai còn lỏng lẻo.\n"
        "“Bây giờ phải khai báo cụ thể tài sản hình thành từ đâu, như được cô em họ cho như ông Đinh Công Hậu, "
        "hoặc vớ được cục vàng phải khai báo”, ông nói."
    )
    found = extract_article(raw, file_name="pronoun.txt")
    assert [q.speaker for q in found.quotes if q.direct] == ["Lò Văn Tám"]


def test_a_head_coach_with_a_foreign_name():
    text = (
        "HLV Lò Văn Tám dự họp báo.\n"
        "Trong khi đó, HLV trưởng Frank Bernhardt của đội khách bày tỏ: “Chúng tôi rất vui khi nhận được lời mời "
        "đá giao hữu với đội chủ nhà.”"
    )
    assert attributions(text)[0][1] == "Frank Bernhardt"


def reported(raw):
    article = extract_article("Tiêu đề bài viết về hội nghị\n" + raw, file_name="fixture.txt")
    return [(q.speaker, " ".join(q.text.split()[:5])) for q in article.quotes if not q.direct]


def test_reported_speech_after_a_subject_in_mid_sentence():
    # "thông tin" before the subject is a noun here; the subject's own verb starts the words.
    raw = (
        "Phát biểu tại hội nghị về công tác thông tin, tuyên truyền sáng nay, Thứ trưởng Lò Văn Tám "
        "chia sẻ, những năm qua ngành y tế đã có nhiều đổi mới quan trọng trong khám chữa bệnh.\n"
    )
    assert reported(raw) == [("Lò Văn Tám", "những năm qua ngành y")]


def test_reported_speech_after_according_to_skips_the_apposition():
    raw = (
        "Theo ông Lò Văn Tám, Giám đốc Sở Y tế, bệnh viện tỉnh sẽ được mở rộng thêm hai trăm giường "
        "bệnh trong năm nay.\n"
        "Theo Đinh Công Hậu, một nhà nghiên cứu tại viện kinh tế, giá điện sẽ còn tăng thêm trong "
        "mấy tháng cuối năm nay.\n"
    )
    assert reported(raw) == [
        ("Lò Văn Tám", "bệnh viện tỉnh sẽ được"),
        ("Đinh Công Hậu", "giá điện sẽ còn tăng"),
    ]


def test_reported_request_without_a_comma():
    raw = (
        "Thứ trưởng Lò Văn Tám đề nghị các sở bám sát các nội dung chỉ đạo của Chính phủ về "
        "nhiệm vụ trọng tâm năm tới.\n"
    )
    assert reported(raw) == [("Lò Văn Tám", "các sở bám sát các")]


def test_a_topic_after_the_verb_is_not_reported_speech():
    raw = "Bộ trưởng Lò Văn Tám nhấn mạnh đến ba sự thay đổi lớn của ngành trong mười năm tới của đất nước.\n"
    assert reported(raw) == []


def test_reported_speech_starts_after_the_reporters_connective():
    raw = (
        "“Làm chuyển đổi số không khó, chỉ cần quyết tâm và sự kiên trì của cả bộ máy” - Bộ trưởng "
        "Lò Văn Tám nhấn mạnh, đồng thời kêu gọi các doanh nghiệp công nghệ tham gia các chương "
        "trình của bộ trong năm tới.\n"
    )
    assert reported(raw) == [("Lò Văn Tám", "các doanh nghiệp công nghệ")]


def test_a_question_introduced_by_a_speech_noun_and_a_colon():
    raw = (
        "Mở đầu phiên chất vấn, đại biểu Lò Văn Tám (Cần Thơ) đặt ra nhiều câu hỏi: ngân sách cho "
        "giáo dục vùng sâu vùng xa đã được phân bổ đúng và đủ chưa?\n"
    )
    assert reported(raw) == [("Lò Văn Tám", "ngân sách cho giáo dục")]


def test_someone_asked_to_speak_has_not_spoken():
    raw = (
        "Bộ trưởng Lò Văn Tám dự buổi làm việc với báo chí.\n"
        "PV: Xin ông cho biết những biện pháp của Bộ để giải quyết tình trạng ùn tắc giao thông "
        "trong giờ cao điểm?\n"
    )
    assert reported(raw) == []


def test_a_name_after_a_bus_stop_is_a_place():
    raw = (
        "Nhân viên bán vé tại nhà chờ Đinh Công Hậu cho biết, mỗi buổi sáng có khoảng ba trăm "
        "lượt khách mua vé tháng ở đây.\n"
    )
    assert reported(raw) == []
    assert "Đinh Công Hậu" not in speaker_names("Tiêu đề bài viết về xe buýt\n" + raw)


def speaker_roles(raw):
    article = extract_article("Tiêu đề bài viết về an toàn giao thông\n" + raw, file_name="fixture.txt")
    return {speaker.name: (speaker.title, speaker.organisation) for speaker in article.speakers}


def test_a_working_title_after_a_rank_is_the_role():
    raw = (
        "Trung tá Lò Văn Tám, Đội phó Đội CSGT, Phòng Cảnh sát hình sự Công an tỉnh "
        "cho biết, kết quả đo nồng độ cồn của tài xế vượt mức cho phép nhiều lần.\n"
    )
    assert speaker_roles(raw) == {"Lò Văn Tám": ("Đội phó", "Đội CSGT")}


def test_a_title_joined_to_another_person_by_and_is_not_theirs():
    raw = (
        "Quốc hội sẽ bầu giữ chức Chủ tịch nước và ông Lò Văn Tám cho biết, việc bầu cử sẽ diễn ra "
        "theo đúng quy trình mà Quốc hội đã thông qua.\n"
    )
    assert speaker_roles(raw) == {"Lò Văn Tám": ("", "")}
