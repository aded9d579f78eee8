"""The evidence in words (pure: no database)."""

from lindung.linkage.evidence import CLOSE, DIFFERENT, MISSING, SAME, describe, percent
from lindung.matching import model
from lindung.matching.run import _LEVEL_CODES, CLUSTER_NOTES


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


def test_every_level_and_cluster_note_the_engine_gives_is_said_in_words():
    """A reviewer never reads a raw code (salah_ketik_masing_sah, kelamin_beda): every level of every
    comparison and every cluster note has a phrase here or a label in the engine."""
    codes = [(c["output_column_name"], code) for c in model.COMPARISONS
             for code in _LEVEL_CODES[c["output_column_name"]].values()]
    for field, code in codes + [("klaster", note) for note in CLUSTER_NOTES]:
        (line,) = describe({field: code})
        assert ("_" not in code or code not in line.text) and line.text != f"{field}: {code}", (field, code, line.text)
    # A sure pair held back from a cluster is evidence against, as the other held-back notes are.
    assert {describe({"klaster": n})[0].strength for n in CLUSTER_NOTES if n not in ("segitiga", "rujukan_sama")} == {DIFFERENT}
    assert describe({"klaster": "rujukan_sama"})[0].strength == SAME
