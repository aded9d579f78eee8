from datetime import date, datetime, timezone

from lindung.lib.format import format_date, format_number, format_rupiah


def test_money_and_numbers_in_indonesian():
    assert format_rupiah(32_020_800) == "Rp32.020.800" and format_rupiah(None) == "–"
    assert format_number(14_880) == "14.880"


def test_dates_in_indonesian_on_the_local_day(settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    assert format_date(date(2025, 11, 13)) == "13 November 2025"
    # 20:00 UTC on the 12th is already 03:00 WIB on the 13th
    assert format_date(datetime(2025, 11, 12, 20, 0, tzinfo=timezone.utc)) == "13 November 2025"
