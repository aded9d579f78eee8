"""Coverage counted in the database: each person once, engine links, BPU participants, semesta, scoping."""

import json
import xml.etree.ElementTree as ET
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from lindung.accounts.models import Role
from lindung.billing.models import PersonMonth
from lindung.coverage import services
from lindung.coverage.semesta import SemestaError, import_semesta
from lindung.domain.periods import Month
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import Candidate, CandidateStatus
from lindung.linkage.models import MatchPair
from lindung.registry.models import BpjsParticipant, BpjsRoster, Person
from lindung.test import DESA_A, DESA_A2, KAB_A, make_program, make_user

DEC = Month(2025, 12)
KEC_A = DESA_A[:8]  # 21.02.01 Moro


def _cohort(program):
    return Cohort.objects.create(program=program, mulai=program.mulai, bulan=2, kursi=100, iuran_per_bulan=16_800,
                                 iuran_per_orang=33_600)


def _cover(cohort, nik, desa, nama="Ahmad", status=CandidateStatus.TERDAFTAR, seat=Enrolment.State.SEATED,
           pekerjaan="nelayan"):
    """A candidate seated in the cohort and, once registered, on the ledger for every month of the window,
    as lindung.billing.ledger writes it: a NIK already billed that month elsewhere is not billed again."""
    person, _ = Person.objects.get_or_create(nik=nik, defaults={"nama": nama})
    candidate = Candidate.objects.create(program=cohort.program, person=person, desa_id=desa, nik=nik, nama=nama,
                                         pekerjaan=pekerjaan, status=status)
    enrolment = Enrolment.objects.create(cohort=cohort, candidate=candidate, urutan=candidate.pk, state=seat)
    if seat == Enrolment.State.SEATED and status in (CandidateStatus.TERDAFTAR, CandidateStatus.AKTIF):
        for month in cohort.window.months_list():
            if not PersonMonth.objects.filter(nik=nik, bulan=month.first_day).exists():
                PersonMonth.objects.create(program=cohort.program, enrolment=enrolment, candidate=candidate, nik=nik,
                                           nama=nama, desa_kode=desa, pekerjaan=pekerjaan,
                                           kpj=f"9{candidate.pk:010d}", bulan=month.first_day, iuran=16_800)
    return candidate


@pytest.fixture
def two_programmes(people):
    kab = _cohort(people.program_a)
    prov = _cohort(make_program("prov-a", "21", sumber_dana="apbd_provinsi", mulai=date(2025, 1, 1),
                                selesai=date(2025, 12, 31)))
    prov.bulan = 12
    prov.save()
    return kab, prov


def _semesta(text, pemda=KAB_A, **kw):
    return import_semesta(data=text.encode(), filename="semesta.csv", pemda=pemda, sumber=kw.get("sumber", "Pendataan Disnaker"),
                          tahun=kw.get("tahun", 2025))


def test_it_counts_each_person_once_across_programmes(two_programmes):
    kab, prov = two_programmes
    _cover(kab, "2102014101900001", DESA_A)
    _cover(prov, "2102014101900001", DESA_A)  # same NIK in the province's programme
    _cover(prov, "2102014101900002", DESA_A2)
    _cover(kab, "2102014101900003", DESA_A, seat=Enrolment.State.WAITING)  # waiting: not covered
    _cover(kab, "2102014101900004", DESA_A, status=CandidateStatus.DITOLAK)  # refused by BPJS
    result = services.report(KAB_A, bulan=DEC)
    assert result.area.peserta == 2
    assert {s.kode: s.peserta for s in result.rincian}[KEC_A] == 2
    assert services.report(KAB_A, bulan=Month(2026, 1)).area.peserta == 0


def test_it_counts_two_spellings_linked_by_the_engine_once(two_programmes):
    kab, prov = two_programmes
    a = _cover(kab, "2102014101900001", DESA_A, nama="Muhammad Yusuf")
    b = _cover(prov, "2102014101900010", DESA_A2, nama="M. Jusuf")  # mistyped NIK, another spelling
    assert services.report(KAB_A, bulan=DEC).area.peserta == 2
    MatchPair.objects.create(kind=MatchPair.Kind.LINTAS, left=a, right=b, score=0.97, band=MatchPair.Band.MATCH,
                             status=MatchPair.Status.SAME)
    result = services.report(KAB_A, bulan=DEC)
    assert result.area.peserta == 1
    desa = services.covered_by_region(DEC, KAB_A, services.LEVEL_LENGTH[4])
    assert sum(desa.values()) == 1  # placed once, in the smaller desa code


def test_it_adds_bpu_participants_not_already_covered(two_programmes, people):
    kab, _ = two_programmes
    a = _cover(kab, "2102014101900001", DESA_A)
    roster = BpjsRoster.objects.create(pemda_id=KAB_A, file="x.csv", original_name="x.csv")
    BpjsParticipant.objects.create(roster=roster, nik="2102014101900001", kpj="1", segmen="BPU")  # same NIK
    BpjsParticipant.objects.create(roster=roster, nik="2102015101900009", kpj="2", segmen="PBPU")
    BpjsParticipant.objects.create(roster=roster, nik="2102015101900008", kpj="3", segmen="PU")  # wage earner
    linked = BpjsParticipant.objects.create(roster=roster, nik="2102014101900099", kpj="4", segmen="BPU")
    MatchPair.objects.create(kind=MatchPair.Kind.BPJS, left=a, participant=linked, score=0.99,
                             band=MatchPair.Band.MATCH, status=MatchPair.Status.AUTO)
    result = services.report(KAB_A, bulan=DEC)
    assert result.area.peserta == 2 == sum(n for _, n in result.per_sumber)
    assert dict(result.per_sumber)["Peserta BPU/PBPU dari daftar peserta BPJS (di luar program)"] == 1


def test_it_divides_by_the_semesta_in_force_and_shows_no_data(two_programmes):
    kab, _ = two_programmes
    for i in range(3):
        _cover(kab, f"210201410190000{i + 1}", DESA_A)
    _semesta("Kode Wilayah;Jumlah\n2102011003;10\n", tahun=2024)
    _semesta("Kode Wilayah;Jumlah\n2102011003;6\n", sumber="DTSEN", tahun=2025)
    result = services.report(KEC_A, bulan=DEC)
    assert (result.area.peserta, result.area.semesta, result.area.persen) == (3, 6, 50.0)
    assert result.sumber_semesta == "DTSEN (2025)"
    shares = {s.kode: s for s in result.rincian}
    assert shares[DESA_A].label == "50,00 %"
    assert shares[DESA_A2].semesta is None and shares[DESA_A2].label == "tidak ada data"


def test_the_cli_prints_the_contract(two_programmes):
    kab, _ = two_programmes
    _cover(kab, "2102014101900001", DESA_A)
    _semesta("Kode Wilayah;Jumlah\n210201;3\n")
    out = StringIO()
    call_command("cakupan", "2102", "--bulan", "2025-12", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert list(data) == ["kode", "nama", "bulan", "peserta", "semesta", "persen", "sumber_semesta", "rincian"]
    assert (data["kode"], data["peserta"], data["semesta"], data["persen"]) == ("21.02", 1, 3, 33.33)
    moro = next(r for r in data["rincian"] if r["kode"] == KEC_A)
    assert moro == {"kode": KEC_A, "nama": moro["nama"], "peserta": 1, "semesta": 3, "persen": 33.33}


@pytest.mark.parametrize("text, row, column, code", [
    ("Kode Wilayah;Jumlah\n2102011003;sepuluh\n", 2, "Jumlah", "jumlah_tidak_sah"),
    ("Kode Wilayah;Jumlah\n2102011003;-4\n", 2, "Jumlah", "jumlah_tidak_sah"),
    ("Kode Wilayah;Jumlah\n2102011003;5\n9999999999;5\n", 3, "Kode Wilayah", "kode_tidak_dikenal"),
    ("Kode Wilayah;Jumlah\n6409011001;5\n", 2, "Kode Wilayah", "di_luar_wilayah"),
    ("Kode Wilayah;Jumlah\n2102011003;5\n21.02.01.1003;7\n", 3, "Kode Wilayah", "baris_ganda"),
    ("Kode Wilayah;Jumlah\n210201;50\n2102011003;5\n", 3, "Kode Wilayah", "tumpang_tindih"),
    ("Kode Wilayah;Jumlah;Pekerjaan\n2102011003;5;astronot\n", 2, "Pekerjaan", "pekerjaan_tidak_dikenal"),
    ("Kode Wilayah;Jumlah;Jenis Kelamin\n2102011003;5;X\n", 2, "Jenis Kelamin", "jenis_kelamin_tidak_dikenal"),
])
def test_a_bad_semesta_is_refused_whole(people, text, row, column, code):
    with pytest.raises(SemestaError) as caught:
        _semesta("Kode Wilayah;Jumlah\n2102012004;9\n" + text.split("\n", 1)[1] if False else text)
    problem = next(p for p in caught.value.problems if p["code"] == code)
    assert (problem["row"], problem["column"]) == (row, column)
    assert f"Baris {row}" in problem["message"]
    from lindung.coverage.models import Semesta, SemestaRow
    assert not Semesta.objects.exists() and not SemestaRow.objects.exists()


def test_a_semesta_by_occupation_and_sex_is_accepted(people):
    semesta = _semesta("kode wilayah;jumlah;pekerjaan;jenis kelamin\n2102011003;5;Nelayan;L\n2102011003;2;Nelayan;P\n")
    assert sorted(semesta.rows.values_list("jenis_kelamin", "jumlah")) == [("L", 5), ("P", 2)]


def test_a_file_without_the_code_column_says_so(people):
    from lindung.imports.reader import ImportFileError
    with pytest.raises(ImportFileError) as caught:
        _semesta("Desa;Jumlah\nMoro;5\n")
    assert "Kode Wilayah" in caught.value.message


# --- pages and scoping -------------------------------------------------------------------------------

def test_a_karimun_user_sees_karimun_only(client, people):
    client.force_login(people.operator_a)
    page = client.get("/cakupan/")
    assert page.status_code == 200 and "Kabupaten Karimun" in page.content.decode()
    assert client.get("/cakupan/?kode=64.09").status_code == 404
    assert client.get("/cakupan/?kode=21.03").status_code == 404
    assert client.get(f"/cakupan/?kode={KEC_A}").status_code == 200


def test_a_province_user_sees_its_kabupaten(client, people):
    client.force_login(make_user("kepri.op", Role.OPERATOR_DISNAKER, "21"))
    assert client.get("/cakupan/?kode=21.02").status_code == 200
    assert client.get("/cakupan/?kode=64.09").status_code == 404


def test_the_map_colours_a_kecamatan_by_its_share(client, two_programmes, people):
    kab, _ = two_programmes
    for i in range(3):
        _cover(kab, f"210201410190000{i + 1}", DESA_A)
    _semesta("Kode Wilayah;Jumlah\n210201;4\n")  # Moro: 75 %
    client.force_login(people.operator_a)
    svg = client.get("/cakupan/peta.svg?bulan=2025-12")
    assert svg["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(svg.content)
    ns = {"s": "http://www.w3.org/2000/svg"}
    moro = root.find(f".//s:path[@data-kode='{KEC_A}']", ns)
    assert "cakupan-3" in moro.get("class").split()  # 60–80 %
    assert "cakupan-nd" in root.find(".//s:path[@data-kode='21.02.02']", ns).get("class").split()
    assert "Pendataan Disnaker (2025)" in svg.content.decode()
    assert len(svg.content) < 300_000


def test_the_semesta_upload_page_lists_every_problem(client, people):
    from django.core.files.uploadedfile import SimpleUploadedFile
    client.force_login(people.operator_a)
    upload = SimpleUploadedFile("s.csv", b"Kode Wilayah;Jumlah\n2102011003;x\n6409011001;4\n")
    page = client.post("/cakupan/semesta/", {"sumber": "Pendataan", "tahun": 2025, "berkas": upload})
    body = page.content.decode()
    assert "Baris 2, kolom Jumlah" in body and "Baris 3, kolom Kode Wilayah" in body
    client.force_login(people.desa_a)
    assert client.get("/cakupan/semesta/").status_code == 404


def test_it_offers_the_semesta_upload_only_to_those_who_may_use_it(client, people):
    """A desa operator may upload candidate lists, not the pemda's semesta: no button that ends in a 404."""
    client.force_login(people.desa_a)
    body = client.get("/cakupan/").content.decode()
    assert "/cakupan/semesta/" not in body
    assert "Semesta diunggah oleh Disnaker" in body  # without a semesta: who brings one
    client.force_login(people.operator_a)
    body = client.get("/cakupan/").content.decode()
    assert "/cakupan/semesta/" in body and 'id="tanpa-semesta"' in body
    assert 'type="month" name="bulan" value="2025-12"' in client.get("/cakupan/?bulan=2025-12").content.decode()


def test_a_semesta_workbook_is_read_like_a_candidate_list(people):
    import xlsxwriter
    from io import BytesIO
    out = BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("Semesta")
    sheet.write_row(0, 0, ["Semesta pekerja rentan Karimun 2025"])  # a title above the table
    sheet.write_row(2, 0, ["Kode Desa", "Jumlah Pekerja"])
    sheet.write_row(3, 0, ["2102011003", 120])
    sheet.write_row(4, 0, ["21.02.01.2004", 80.0])
    book.close()
    semesta = import_semesta(data=out.getvalue(), filename="semesta.xlsx", pemda=KAB_A, sumber="DTSEN", tahun=2025)
    assert sorted(semesta.rows.values_list("wilayah_id", "jumlah")) == [(DESA_A, 120), (DESA_A2, 80)]


def test_the_kpi_counts_six_months_fully_and_fewer_proportionally(people):
    from fractions import Fraction
    long = _cohort(make_program("prov-b", "21", mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)))
    long.bulan = 12
    long.save()
    short = _cohort(people.program_a)  # November–December: 2 months
    _cover(long, "2102014101900001", DESA_A)
    _cover(short, "2102014101900002", DESA_A)
    _cover(short, "2102014101900001", DESA_A)  # the same person in both: their months are not added twice
    people_count, weighted = services.kpi(2025, KAB_A)
    assert (people_count, weighted) == (2, Fraction(1) + Fraction(2, 6))


def test_coverage_per_occupation_where_the_semesta_has_it(two_programmes):
    kab, _ = two_programmes
    _cover(kab, "2102014101900001", DESA_A)
    semesta = _semesta("Kode Wilayah;Jumlah;Pekerjaan\n2102011003;4;Nelayan\n2102011003;6;Petani\n")
    shares = {s.kode: s for s in services.per_pekerjaan(DEC, KAB_A, semesta)}
    assert (shares["nelayan"].peserta, shares["nelayan"].label) == (1, "25,00 %")
    assert shares["petani"].label == "0,00 %"


def test_an_older_semesta_version_can_be_chosen(client, two_programmes, people):
    kab, _ = two_programmes
    _cover(kab, "2102014101900001", DESA_A)
    old = _semesta("Kode Wilayah;Jumlah\n210201;4\n", tahun=2024)
    _semesta("Kode Wilayah;Jumlah\n210201;2\n", tahun=2025)
    client.force_login(people.operator_a)
    assert "50,00 %" in client.get("/cakupan/?bulan=2025-12").content.decode()
    assert "25,00 %" in client.get(f"/cakupan/?bulan=2025-12&semesta={old.pk}").content.decode()
    assert client.get("/cakupan/?semesta=999999").status_code == 404


def test_the_cli_refuses_an_unknown_code_or_month(people):
    from django.core.management.base import CommandError
    for args in (["99.99"], ["21.02", "--bulan", "2025-13"], ["21.02", "--semesta", "12345"]):
        with pytest.raises(CommandError):
            call_command("cakupan", *args)


def test_an_admin_sees_an_unnumbered_sk_waiting(client, people):
    _cohort(people.program_a)
    client.force_login(people.admin_a)
    assert "SK penetapan Program prog-a belum bernomor" in client.get("/").content.decode()
    client.force_login(people.bpkad_a)
    assert "belum bernomor" not in client.get("/").content.decode()


def test_coverage_per_funding_source_counts_each_person_under_the_source_paying_that_month(two_programmes):
    kab, prov = two_programmes
    _cover(kab, "2102014101900001", DESA_A)
    _cover(prov, "2102014101900001", DESA_A)  # the ledger never bills the same NIK twice a month
    _cover(prov, "2102014101900002", DESA_A)
    _semesta("Kode Wilayah;Jumlah\n210201;4\n")
    result = services.report(KAB_A, bulan=DEC)
    shares = {s.nama: s for s in result.per_sumber_share}
    assert result.area.peserta == 2 == sum(s.peserta for s in shares.values())
    assert (shares["APBD Kabupaten/Kota"].label, shares["APBD Provinsi"].label) == ("25,00 %", "25,00 %")
    october = {s.nama: s.peserta for s in services.report(KAB_A, bulan=Month(2025, 10)).per_sumber_share}
    assert october == {"APBD Provinsi": 2}


def test_two_records_linked_by_the_engine_count_once_per_occupation_and_per_funding_source(two_programmes):
    kab, prov = two_programmes
    a = _cover(kab, "2102014101900001", DESA_A, nama="Muhammad Yusuf", pekerjaan="nelayan")
    b = _cover(prov, "2102014101900010", DESA_A2, nama="M. Jusuf", pekerjaan="petani")  # the same man, another list
    semesta = _semesta("Kode Wilayah;Jumlah;Pekerjaan\n2102011003;4;Nelayan\n2102011003;6;Petani\n")
    MatchPair.objects.create(kind=MatchPair.Kind.LINTAS, left=a, right=b, score=0.97, band=MatchPair.Band.MATCH,
                             status=MatchPair.Status.SAME)
    result = services.report(KAB_A, bulan=DEC, semesta=semesta)
    kept_first = sorted([DESA_A, DESA_A2])[0] == DESA_A  # the record kept is the one in the smaller desa code
    occupations = {s.kode: s.peserta for s in result.per_pekerjaan}
    assert occupations == ({"nelayan": 1, "petani": 0} if kept_first else {"nelayan": 0, "petani": 1})
    assert result.area.peserta == 1 == sum(n for _, n in result.per_sumber)
    assert dict(result.per_sumber) == ({"APBD Kabupaten/Kota": 1} if kept_first else {"APBD Provinsi": 1})
