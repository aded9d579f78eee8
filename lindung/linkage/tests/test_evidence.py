"""The evidence in words (pure: no database)."""

from lindung.linkage.evidence import CLOSE, DIFFERENT, MISSING, SAME, describe, percent


def test_it_says_which_fields_agreed_strongest_first():
    lines = describe({"no_hp": "kosong", "nama": "mirip", "nik": "sama", "tanggal_lahir": "tertukar", "jenis_kelamin": "beda"})
    assert [(e.text, e.strength) for e in lines] == [
        ("NIK sama", SAME),
        ("nama mirip", CLOSE),
        ("tanggal lahir: hari dan bulan tertukar", CLOSE),
        ("jenis kelamin berbeda", DIFFERENT),
        ("No. HP: tidak ada data di salah satu", MISSING),
    ]


def test_a_level_it_does_not_know_uses_the_engines_label():
    (line,) = describe({"wilayah": "level_baru"})
    assert line.text == "Wilayah: level_baru" and line.strength == CLOSE


def test_scores_are_percentages_with_a_decimal_comma():
    assert percent(0.97314) == "97,3 %" and percent(1.0) == "100,0 %" and percent(0.5) == "50,0 %"
