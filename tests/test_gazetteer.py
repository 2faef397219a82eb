"""The gazetteer's lookups: places, office holders and National Assembly terms (no database)."""

from datetime import date

import pytest

from articles.extraction import gazetteer


@pytest.mark.parametrize(
    "name",
    [
        "Thái Lan",
        "Hà Lan",
        "Hoàng Sa",
        "Thanh Hoá",  # the other tone-mark placement
        "THANH HÓA",
        "Bà Rịa - Vũng Tàu",
        "Gia Lai – Kon Tum",  # a run of places
        "Ô-xtrây-li-a",
        "Mỹ",  # a single syllable on its own
    ],
)
def test_places(name):
    assert gazetteer.is_place_name(name)


@pytest.mark.parametrize("name", ["Nguyễn Mạnh Hùng", "Hà Văn Tuấn", "Hà Nội Anh", "Anh Tuấn", "", "Hà"])
def test_not_places(name):
    assert not gazetteer.is_place_name(name)


def test_place_names_are_the_multi_syllable_ones_as_written():
    names = gazetteer.place_names()
    assert {"Thanh Hóa", "Đồng bằng sông Cửu Long", "Campuchia"} <= names
    assert "Mỹ" not in names


def test_office_holders_on_a_day():
    assert gazetteer.office_holders("Thủ tướng", date(2019, 5, 1)) == ["Nguyễn Xuân Phúc"]
    assert gazetteer.office_holders("Chủ tịch nước", date(2024, 4, 1)) == ["Võ Thị Ánh Xuân"]
    assert gazetteer.office_holders("Chủ tịch nước", date(2024, 5, 22)) == ["Tô Lâm"]  # the end day is the successor's
    assert gazetteer.office_holders("Tổng Bí thư", date(2030, 1, 1)) == ["Tô Lâm"]  # current holder: open end
    assert gazetteer.office_holders("Thủ tướng", date(1990, 1, 1)) == []


def test_terms_of_a_person():
    assert [(title, start.year) for title, start, _ in gazetteer.terms_of("Tô Lâm")] == [
        ("Chủ tịch nước", 2024),
        ("Tổng Bí thư", 2024),
    ]
    assert gazetteer.terms_of("Nguyễn Phú Trọng")[0] == ("Chủ tịch Quốc hội", date(2006, 6, 26), date(2011, 7, 23))


def test_national_assembly_sessions_and_terms():
    assert gazetteer.national_assembly_session_year("XIV", 3)[0] == 2017
    assert gazetteer.national_assembly_session_year(15, 9)[0] == 2025
    assert gazetteer.national_assembly_session_year("15", 10) == (2025, [10, 11, 12])
    assert gazetteer.national_assembly_session_year("XIV", 12) is None
    assert gazetteer.national_assembly_term_years("xiii") == (2011, 2016)
    assert gazetteer.national_assembly_term_years(99) is None


@pytest.mark.parametrize(
    ("text", "number"),
    [("XIV", 14), ("xv", 15), ("IX", 9), ("MCMXCIV", 1994), ("IIII", None), ("", None), ("XIVa", None)],
)
def test_roman_numerals(text, number):
    assert gazetteer.roman_to_int(text) == number
