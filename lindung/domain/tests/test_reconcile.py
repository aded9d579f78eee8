from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from lindung.domain.reconcile import (
    COCOK, GANDA, HANYA_BPJS, HANYA_DAFTAR, NIK_KPJ_TIDAK_COCOK, NOMINAL_BEDA, BillLine, RosterLine, classify,
)

NOV = date(2025, 11, 1)
A = RosterLine(1, "2102014101900001", "21020000001", "Siti Aminah", 16800)
B = RosterLine(2, "2102014101900002", "21020000002", "Budi Santoso", 16800)
C = RosterLine(3, "2102014101900003", "", "Ahmad Yani", 16800)  # BPJS has not given a KPJ yet


def bill(row, nik, kpj, iuran=16800, nama="x"):
    return BillLine(row, kpj, nik, nama, NOV, iuran)


def kinds(result):
    return [(line.kelas, line.roster.id if line.roster else None, line.bill.row if line.bill else None)
            for line in result.lines]


def test_it_matches_by_both_keys():
    result = classify([A, B], [bill(2, A.nik, A.kpj), bill(3, B.nik, B.kpj)])
    assert kinds(result) == [(COCOK, 1, 2), (COCOK, 2, 3)]
    assert result.summary() == {"cocok": 2, "hanya_bpjs": 0, "hanya_daftar": 0, "nominal_beda": 0,
                                "nik_kpj_tidak_cocok": 0, "ganda": 0, "total_bpjs": 33600,
                                "total_daftar": 33600, "selisih": 0}


def test_it_accepts_a_missing_kpj_on_either_side():
    result = classify([A, C], [bill(2, A.nik, ""), bill(3, C.nik, "21020000099")])
    assert [line.kelas for line in result.lines] == [COCOK, COCOK]


def test_it_finds_each_difference():
    result = classify(
        [A, B, C],
        [bill(2, A.nik, A.kpj, iuran=20000), bill(3, "2102014101909999", "21020000999"), bill(4, C.nik, C.kpj)],
    )
    assert kinds(result) == [(NOMINAL_BEDA, 1, 2), (HANYA_BPJS, None, 3), (COCOK, 3, 4), (HANYA_DAFTAR, 2, None)]
    assert result.total_bpjs == 20000 + 16800 + 16800
    assert result.total_daftar == 16800 * 3
    assert result.selisih == 3200 + 16800 - 16800
    assert [line.selisih for line in result.lines] == [3200, 16800, 0, -16800]


def test_it_pairs_by_nik_when_the_kpj_differs():
    (line, _) = classify([A, B], [bill(2, A.nik, "21020000777")]).lines
    assert (line.kelas, line.roster) == (NIK_KPJ_TIDAK_COCOK, A)
    assert line.detail == "KPJ beda: tagihan 21020000777, daftar 21020000001"


def test_it_pairs_by_kpj_when_the_nik_differs():
    (line,) = classify([A], [bill(2, "2102014101900010", A.kpj, iuran=8400)]).lines
    assert (line.kelas, line.roster) == (NIK_KPJ_TIDAK_COCOK, A)
    assert line.detail == "NIK beda: tagihan 2102014101900010, daftar 2102014101900001; nominal juga beda"
    assert line.selisih == 8400 - 16800


def test_the_nik_wins_when_the_keys_point_at_two_people():
    (first, second) = classify([A, B], [bill(2, A.nik, B.kpj)]).lines
    assert (first.kelas, first.roster) == (NIK_KPJ_TIDAK_COCOK, A)
    assert "milik Budi Santoso" in first.detail
    assert (second.kelas, second.roster) == (HANYA_DAFTAR, B)


def test_it_uses_the_matching_engines_links_when_no_key_agrees():
    line = bill(2, "2102014101900099", "21020000555")
    assert classify([A], [line]).lines[0].kelas == HANYA_BPJS
    (paired,) = classify([A], [line], links={"21020000555": A.id}).lines
    assert (paired.kelas, paired.roster) == (NIK_KPJ_TIDAK_COCOK, A)
    assert "pencocokan data" in paired.detail


def test_a_duplicated_line_is_its_own_class():
    result = classify([A], [bill(2, A.nik, A.kpj), bill(3, A.nik, A.kpj), bill(4, "", A.kpj)])
    assert kinds(result) == [(COCOK, 1, 2), (GANDA, None, 3), (GANDA, None, 4)]
    assert result.lines[1].detail == "sama dengan baris 2"
    assert result.selisih == 2 * 16800 == sum(line.selisih for line in result.lines)


def test_a_second_line_reaching_the_same_person_by_another_key_is_ganda():
    result = classify([A], [bill(2, A.nik, A.kpj), bill(5, "2102014101900010", "21020000777", nama="y")],
                      links={"21020000777": A.id})
    assert kinds(result) == [(COCOK, 1, 2), (GANDA, None, 5)]
    assert result.lines[1].detail == "orang yang sama dengan baris 2"


def test_a_duplicated_unknown_person_is_hanya_bpjs_then_ganda():
    result = classify([], [bill(2, "2102014101909999", ""), bill(3, "2102014101909999", "")])
    assert [line.kelas for line in result.lines] == [HANYA_BPJS, GANDA]


# --- properties ----------------------------------------------------------------------------------------

_niks = st.sampled_from([f"21020141019{n:05d}" for n in range(12)])
_kpjs = st.sampled_from([""] + [f"2102{n:07d}" for n in range(12)])
_amounts = st.sampled_from([0, 8400, 16800, 20000, 1])


@st.composite
def _sides(draw):
    people = draw(st.lists(st.tuples(_niks, _kpjs, _amounts), max_size=10, unique_by=lambda t: t[0]))
    roster = [RosterLine(i, nik, kpj, f"orang {i}", amount) for i, (nik, kpj, amount) in enumerate(people, 1)]
    lines = draw(st.lists(st.tuples(st.one_of(_niks, st.just("")), _kpjs, _amounts), max_size=14))
    bill_lines = [BillLine(row, kpj, nik, "", NOV, amount) for row, (nik, kpj, amount) in enumerate(lines, 2)
                  if nik or kpj]
    links = draw(st.dictionaries(st.one_of(_niks, _kpjs), st.integers(1, 12), max_size=4))
    return roster, bill_lines, links


@settings(max_examples=300, deadline=None)
@given(_sides())
def test_every_line_is_classified_once_and_the_difference_is_explained(sides):
    roster, bill_lines, links = sides
    result = classify(roster, bill_lines, links=links)
    assert sorted(line.bill.row for line in result.lines if line.bill) == [b.row for b in bill_lines]
    assert sorted(line.roster.id for line in result.lines if line.roster) == [r.id for r in roster]
    assert result.total_bpjs == sum(b.iuran for b in bill_lines)
    assert result.total_daftar == sum(r.iuran for r in roster)
    assert sum(line.selisih for line in result.lines) == result.selisih
    assert sum(result.counts.values()) == len(result.lines)
    for line in result.lines:
        if line.kelas == COCOK:
            assert line.selisih == 0
        if line.kelas == NOMINAL_BEDA:
            assert line.selisih != 0
        if line.kelas in (HANYA_BPJS, GANDA):
            assert line.roster is None


def test_a_kpj_typed_with_the_next_persons_number_is_no_duplicate():
    result = classify([A, B], [bill(2, A.nik, B.kpj), bill(3, B.nik, B.kpj)])
    assert kinds(result) == [(NIK_KPJ_TIDAK_COCOK, 1, 2), (COCOK, 2, 3)]
