"""NIK and KK number rules (standards.md §2.2-2.4), table-driven."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sidekel.core.nik import (LAKI_LAKI, PEREMPUAN, nik_warnings, normalize_number, parse_nik, validate_nik,
                              validate_nomor_kk)

# (NIK, why it is valid)
VALID = [
    ("6201021708900001", "man born 17-08-1990 in Arut Selatan"),
    ("6201025708900001", "woman: day 17 + 40 = 57"),
    ("6201020101450001", "day 01, the lowest for a man"),
    ("6201023112450001", "day 31, the highest for a man"),
    ("6201024101450001", "day 41, the lowest for a woman"),
    ("6201027112450001", "day 71, the highest for a woman"),
    ("6201020101459999", "serial 9999"),
    ("9101011501800001", "Papua prefix 91 issued before the 2022 split stays valid"),
    ("9601011501800001", "Papua Barat Daya, created 2022"),
    ("6201020101000001", "1 January, the conventional date for an unknown birthday"),
    (" 6201 0217 0890 0001 ", "spaces typed between digit groups are ignored"),
]

# (NIK, error code, why it is refused)
INVALID = [
    ("620102170890000", "format", "15 digits"),
    ("62010217089000011", "format", "17 digits"),
    ("62010217089O0001", "format", "a letter O instead of zero"),
    ("6201-0217-0890-0001", "format", "dashes"),
    ("", "format", "empty"),
    ("0001021708900001", "province", "province 00 does not exist"),
    ("5401021708900001", "province", "54 (Timor Timur) is no current province"),
    ("9901021708900001", "province", "99 is no province"),
    ("6201020008900001", "day", "day 00"),
    ("6201023208900001", "day", "day 32"),
    ("6201024008900001", "day", "day 40: neither a man's nor a woman's day"),
    ("6201027208900001", "day", "day 72"),
    ("6201029908900001", "day", "day 99"),
    ("6201021700900001", "month", "month 00"),
    ("6201021713900001", "month", "month 13"),
    ("6201021708900000", "serial", "serial 0000"),
]


@pytest.mark.parametrize("nik,why", VALID)
def test_valid_nik_passes_hard_rules(nik, why):
    validate_nik(nik)


@pytest.mark.parametrize("nik,code,why", INVALID)
def test_invalid_nik_is_refused_with_a_reason(nik, code, why):
    with pytest.raises(ValidationError) as exc:
        validate_nik(nik)
    assert exc.value.code == code, why


def test_refusal_messages_are_in_bahasa_indonesia():
    messages = {}
    for nik, code, _why in INVALID:
        with pytest.raises(ValidationError) as exc:
            validate_nik(nik)
        messages[code] = exc.value.messages[0]
    assert "16 digit" in messages["format"]
    assert "kode provinsi" in messages["province"]
    assert "01-31" in messages["day"] and "41-71" in messages["day"]
    assert "01-12" in messages["month"]
    assert "0000" in messages["serial"]


def test_parse_reads_region_date_and_sex():
    woman = parse_nik("6201025708900003")
    assert (woman.kode_wilayah_bertitik, woman.hari, woman.bulan, woman.jenis_kelamin, woman.nomor_urut) == (
        "62.01.02", 17, 8, PEREMPUAN, "0003")
    assert woman.tanggal_lahir(1900) == datetime.date(1990, 8, 17)
    assert parse_nik("6201021708900001").jenis_kelamin == LAKI_LAKI


def test_matching_record_gives_no_warning():
    assert nik_warnings("6201025708900001", PEREMPUAN, datetime.date(1990, 8, 17)) == []


def test_sex_disagreeing_with_the_nik_only_warns():
    # Permendagri 108/2019 Pasal 15(3): a corrected sex does not change the NIK.
    warnings = nik_warnings("6201025708900001", LAKI_LAKI, datetime.date(1990, 8, 17))
    assert len(warnings) == 1 and "perempuan" in warnings[0].lower()


def test_birth_date_disagreeing_with_the_nik_only_warns():
    warnings = nik_warnings("6201021708900001", LAKI_LAKI, datetime.date(1990, 8, 18))
    assert len(warnings) == 1 and "17-08-1990" in warnings[0] and "18-08-1990" in warnings[0]


def test_century_comes_from_the_record():
    # YY=00: 29 February exists in 2000 but not in 1900.
    assert nik_warnings("6201022902000001", LAKI_LAKI, datetime.date(2000, 2, 29)) == []
    assert len(nik_warnings("6201022902000001", LAKI_LAKI, datetime.date(1900, 2, 28))) == 1


def test_impossible_calendar_date_only_warns():
    validate_nik("6201023102900001")  # 31 February passes the hard rules
    warnings = nik_warnings("6201023102900001")
    assert len(warnings) == 1 and "31-02-90" in warnings[0]


def test_future_birth_date_warns():
    today = datetime.date(2026, 1, 1)
    warnings = nik_warnings("6201020101270001", LAKI_LAKI, datetime.date(2027, 1, 1), today=today)
    assert any("masa depan" in w for w in warnings)


KK_VALID = ["6201021501200001", "6201023112250042"]
KK_INVALID = [
    ("6201025501200001", "day"),  # no +40 rule on a KK number
    ("6201021513200001", "month"),
    ("6201021501200000", "serial"),
    ("620102150120000", "format"),
]


@pytest.mark.parametrize("number", KK_VALID)
def test_valid_kk_numbers(number):
    validate_nomor_kk(number)


@pytest.mark.parametrize("number,code", KK_INVALID)
def test_invalid_kk_numbers(number, code):
    with pytest.raises(ValidationError) as exc:
        validate_nomor_kk(number)
    assert exc.value.code == code


@pytest.mark.parametrize("typed", ["6201021203850001", " 6201 0212 0385 0001 ", "6201.0212.0385.0001",
                                   "6201-02-120385-0001", "'6201021203850001", "6201 02.12-03 85\t0001"])
def test_a_number_typed_in_groups_is_the_same_number_everywhere(typed):
    """One cleaning (normalize_number) for the forms' boxes, the list's search, the API and the importer."""
    from sidekel.core.forms import NikField
    from sidekel.penduduk.formats import clean_number
    from sidekel.penduduk.models import number_query

    assert normalize_number(typed) == NikField().clean(typed) == clean_number(typed) == number_query(typed) \
        == "6201021203850001"
