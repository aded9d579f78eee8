"""The BPJS branch's participant file as a reference: candidates on it are flagged and never seated (R10)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.enrolment import services as enrolment
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports.models import Candidate
from lindung.registry.models import BpjsParticipant, BpjsRoster


def roster_csv(lines: list[str]) -> SimpleUploadedFile:
    body = "\n".join(["NIK;Nama;Tanggal Lahir;No. KPJ;Segmen", *lines]) + "\n"
    return SimpleUploadedFile("peserta-bpjs-karimun.csv", body.encode())


def test_a_roster_flags_candidates_who_are_then_never_seated(client, people):
    program = people.program_a
    verified(program, people.operator_a, rows(3))
    second = Candidate.objects.get(nama="Peserta 2")
    client.force_login(people.admin_a)
    upload = roster_csv([f"{second.nik};Peserta 2;15/05/1981;21099988877;BPU", "12345;Rusak;;21099988878;BPU",
                         "2102031505790009;Orang Lain;15/05/1979;;PU"])
    page = client.post(reverse("bpjs_roster"), {"berkas": upload}, follow=True).content.decode()
    assert "1 peserta BPJS dimuat; 2 baris dilewati" in page
    # Which rows, and why: named on the page, not only counted.
    assert "Baris 3, kolom NIK: NIK tidak valid; baris dilewati." in page
    assert "Baris 4, kolom No. KPJ: No. KPJ kosong atau bukan angka; baris dilewati." in page
    second.refresh_from_db()
    assert (second.bpjs_kpj, second.bpjs_segmen) == ("21099988877", "BPU")
    cohort = enrolment.form_cohort(program=program, user=people.admin_a)
    assert cohort.seated.count() == 2 and not cohort.enrolments.filter(candidate=second).exists()
    listing = client.get(reverse("candidate_list", args=[program.slug]), {"bpjs": "1"}).content.decode()
    assert "Peserta 2" in listing and "KPJ 21099988877" in listing and "Peserta 1" not in listing


def test_candidates_imported_after_the_roster_are_flagged_too(people):
    BpjsParticipant.objects.create(roster=BpjsRoster.objects.create(pemda_id="21.02", rows=1), nik=f"210203150580{'0001'}",
                                   kpj="21099988877")
    verified(people.program_a, people.operator_a, rows(1))
    assert Candidate.objects.get().bpjs_kpj == "21099988877"


def test_only_disnaker_loads_a_roster_and_a_file_without_kpj_is_refused(client, people):
    client.force_login(people.auditor_a)
    assert client.post(reverse("bpjs_roster"), {"berkas": roster_csv([])}).status_code == 403
    client.force_login(people.admin_a)
    bad = SimpleUploadedFile("x.csv", b"NIK;Nama\n2102031505800001;A\n")
    page = client.post(reverse("bpjs_roster"), {"berkas": bad}, follow=True).content.decode()
    assert "tidak punya kolom No. KPJ" in page and not BpjsRoster.objects.exists()


@pytest.mark.parametrize("user", ["outsider", "admin_a"])
def test_the_page_shows_only_the_users_own_pemda(client, people, user):
    BpjsRoster.objects.create(pemda_id="21.02", original_name="roster-karimun.csv", rows=1)
    client.force_login(getattr(people, user))
    body = client.get(reverse("bpjs_roster")).content.decode()
    assert ("roster-karimun.csv" in body) == (user == "admin_a")


def test_a_roster_flags_only_the_uploaders_pemda_and_audits_each_flag(client, people):
    """Issue 11: karimun.admin's "BPJS list" named a Natuna and a PPU candidate and excluded them from
    protection with Karimun's KPJ, unaudited. The same person on both pemdas' lists is flagged only in the
    uploader's; neither a later import nor a matching run carries the flag over."""
    from datetime import date

    from lindung.accounts.models import AuditEntry
    from lindung.linkage.models import MatchPair
    from lindung.linkage.tests.factories import MORO, Row, load, run

    shared = Row("2102011708900001", "Budi Santoso", date(1990, 8, 17), "L", MORO)
    karimun = load(people.program_a, people.admin_a, [shared])[0]
    ppu_only = Row("6409014101900003", "Wati Sulastri", date(1990, 1, 1), "P", "64.09.01.1003")
    ppu = load(people.program_b, people.outsider, [shared.but(desa="64.09.01.1003"), ppu_only])
    client.force_login(people.admin_a)
    client.post(reverse("bpjs_roster"), {"berkas": roster_csv([f"{shared.nik};Budi Santoso;17/08/1990;21099988877;BPU",
                                                              f"{ppu_only.nik};Wati Sulastri;01/01/1990;21099988878;BPU"])})

    karimun.refresh_from_db()
    assert karimun.bpjs_kpj == "21099988877"
    entry = AuditEntry.objects.get(model="imports.candidate", object_id=str(karimun.pk), action=AuditEntry.Action.UPDATE)
    assert entry.user == people.admin_a and entry.new == {"bpjs_kpj": "21099988877", "bpjs_segmen": "BPU"}
    assert "peserta-bpjs-karimun.csv" in entry.note

    load(people.program_b, people.outsider, [shared.but(desa="64.09.01.1003", pekerjaan="Petani"), ppu_only])
    run(people.admin_a)
    assert list(Candidate.objects.filter(pk__in=[c.pk for c in ppu]).values_list("bpjs_kpj", flat=True)) == ["", ""]
    assert not AuditEntry.objects.filter(model="imports.candidate", object_id__in=[str(c.pk) for c in ppu],
                                         new__has_key="bpjs_kpj").exists()
    assert not MatchPair.objects.filter(kind=MatchPair.Kind.BPJS, left__program=people.program_b).exists()
    assert MatchPair.objects.filter(kind=MatchPair.Kind.BPJS, left=karimun).exists()


def test_a_roster_row_too_long_to_store_is_skipped_naming_row_and_column_not_cut_short():
    from datetime import date

    from lindung.imports.roster import read_roster

    body = "NIK;Nama;Tanggal Lahir;No. KPJ;Segmen\n" + "\n".join([
        f"2102031505810002;{'Nama Panjang ' * 12};15/05/1981;21099988877;BPU",
        "2102031505810003;Siti\x00 Aminah;15/05/1981;21099988878;" + "S" * 41,
        "2102031505810004;Bu\x00di;15/05/1981;21099988879;BPU",
    ]) + "\n"
    rows, skipped = read_roster(body.encode(), "peserta.csv", today=date(2025, 11, 1))
    assert [(s["row"], s["column"]) for s in skipped] == [(2, "Nama"), (3, "Segmen")]
    assert "155 karakter; paling banyak 150" in skipped[0]["message"]
    assert [(r.nik, r.nama) for r in rows] == [("2102031505810004", "Budi")]


def test_a_roster_without_a_nik_column_names_the_columns_not_a_template():
    from datetime import date

    from lindung.imports.reader import ImportFileError
    from lindung.imports.roster import read_roster

    with pytest.raises(ImportFileError) as refused:
        read_roster(b"Nama;No. KPJ\nSiti;21012345678\n", "peserta.csv", today=date(2025, 11, 1))
    assert "“NIK” dan “No. KPJ”" in refused.value.message and "templat" not in refused.value.message
