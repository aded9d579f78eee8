"""The import flow through the real services, database and task worker: preview, partial accept,
idempotent re-upload, the blank-cell rule, bad files, the error file, and no half-written state."""

import io
from datetime import date

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from python_calamine import CalamineWorkbook

from lindung.accounts.models import AuditEntry
from lindung.imports import services
from lindung.imports.models import Candidate, ImportBatch
from lindung.registry.models import Person

HEADERS = ["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Kode Desa/Kelurahan", "Pekerjaan", "No. HP", "Nama Ibu Kandung"]
GOOD = [
    ["2102034101900001", "Siti Aminah", date(1990, 1, 1), "P", "21.02.03.1001", "Pedagang kecil", "0812 7000 1111", "Rahmah"],
    ["2102031505850002", "Ahmad bin Yusuf", date(1985, 5, 15), "L", "21.02.03.1002", "Ojek pangkalan", "", "Fatimah"],
    ["2102012002800003", "Rudi Hartono", "20/02/1980", "L", "21.02.01.1003", "Buruh bongkar muat", None, "Suminah"],
]
BAD = [
    ["21020315058", "Nik Pendek", date(1985, 5, 15), "L", "21.02.03.1001", "Nelayan", None, None],  # not_16_digits
    ["2102031505200004", "Terlalu Tua", date(1920, 5, 15), "L", "21.02.03.1001", "Nelayan", None, None],  # usia
    ["2103041505850005", "Orang Natuna", date(1985, 5, 15), "L", "21.03.04.2001", "Nelayan", None, None],  # desa luar
]


def xlsx_bytes(rows, headers=HEADERS) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Calon Peserta")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet.write_row(0, 0, headers)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if isinstance(value, date):
                sheet.write_datetime(r, c, value, date_format)
            elif value is not None:
                sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def upload(program, user, data: bytes, name="daftar.xlsx", desa=None) -> ImportBatch:
    batch = services.start_import(program=program, user=user, upload=SimpleUploadedFile(name, data), desa=desa, enqueue=False)
    services.run_validation(batch)
    batch.refresh_from_db()
    return batch


@pytest.fixture
def program(people):
    return people.program_a


def test_it_previews_without_writing_candidates(people, program):
    batch = upload(program, people.operator_a, xlsx_bytes(GOOD + BAD))
    assert batch.status == ImportBatch.Status.PREVIEW
    assert (batch.rows_total, batch.rows_ok, batch.rows_rejected) == (6, 3, 3)
    codes = {(p["row"], p["column"], p["code"]) for p in batch.problems}
    assert (5, "NIK", "not_16_digits") in codes
    assert (6, "Tanggal Lahir", "usia_lebih") in codes
    assert (7, "Kode Desa/Kelurahan", "desa_di_luar_wilayah") in codes
    assert Candidate.objects.count() == 0 and Person.objects.count() == 0


def test_it_accepts_only_the_good_rows(people, program):
    batch = upload(program, people.operator_a, xlsx_bytes(GOOD + BAD))
    counts = services.commit(batch, user=people.operator_a)
    assert (counts.created, counts.updated, counts.unchanged) == (3, 0, 0)
    assert set(Candidate.objects.values_list("nik", flat=True)) == {row[0] for row in GOOD}
    siti = Candidate.objects.get(nik="2102034101900001")
    assert (siti.nama, siti.tanggal_lahir, siti.jenis_kelamin, siti.desa_id) == ("Siti Aminah", date(1990, 1, 1), "P", "21.02.03.1001")
    assert siti.pekerjaan == "pedagang_kecil" and siti.no_hp == "081270001111"
    assert siti.raw["Nama Lengkap"] == "Siti Aminah" and siti.source_row == 2
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.committed_by == people.operator_a
    entry = AuditEntry.objects.get(model="imports.candidate", object_id=str(siti.pk))
    assert entry.action == "create" and entry.user == people.operator_a and entry.new["nama"] == "Siti Aminah"


def test_reuploading_the_same_file_changes_nothing(people, program):
    services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    before = list(Candidate.objects.order_by("pk").values())
    audit_before = AuditEntry.objects.count()
    counts = services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 0, 3)
    assert list(Candidate.objects.order_by("pk").values()) == before
    assert AuditEntry.objects.count() == audit_before


def test_a_corrected_file_changes_only_what_changed_and_blanks_never_overwrite(people, program):
    services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    corrected = [list(row) for row in GOOD]
    corrected[0][1] = "Siti Aminah Lubis"  # a real correction
    corrected[0][7] = None  # the mother's name left blank this time
    corrected[1][6] = None
    counts = services.commit(upload(program, people.operator_a, xlsx_bytes(corrected)), user=people.operator_a)
    assert (counts.created, counts.updated, counts.unchanged) == (0, 1, 2)
    siti = Candidate.objects.get(nik="2102034101900001")
    assert siti.nama == "Siti Aminah Lubis"
    assert siti.nama_ibu == "Rahmah"  # blank cell did not wipe it
    update = AuditEntry.objects.get(model="imports.candidate", object_id=str(siti.pk), action="update")
    assert update.old == {"nama": "Siti Aminah"} and update.new == {"nama": "Siti Aminah Lubis"}


@pytest.mark.parametrize(
    "data, name, code_word",
    [
        (b"%PDF-1.4 bukan spreadsheet", "daftar.xlsx", "bukan"),
        (b"", "kosong.csv", "kosong"),
        (b"Nama;Alamat\nSiti;Jl. Mawar\n", "tanpa-nik.csv", "NIK"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_writes_nothing(people, program, data, name, code_word):
    batch = upload(program, people.operator_a, data, name=name)
    assert batch.status == ImportBatch.Status.FAILED
    assert code_word.lower() in batch.error.lower()
    assert Candidate.objects.count() == 0 and Person.objects.count() == 0


def test_the_error_file_lists_each_rejected_row_with_its_problems(people, program):
    batch = upload(program, people.operator_a, xlsx_bytes(GOOD + BAD))
    data = services.error_file(batch)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    header = [str(h) for h in sheet[0]]
    assert "Masalah" in header and "NIK" in header
    body = [dict(zip(header, row)) for row in sheet[1:] if any(row)]
    assert [str(r["NIK"]) for r in body] == [row[0] for row in BAD]
    assert "16 digit" in body[0]["Masalah"]


def test_a_desa_operator_upload_defaults_to_their_desa(people, program):
    rows = [[r[0], r[1], r[2], r[3], None, r[5], r[6], r[7]] for r in GOOD[:1]]
    batch = upload(program, people.desa_a, xlsx_bytes(rows), desa=people.desa_a.membership.wilayah)
    services.commit(batch, user=people.desa_a)
    assert Candidate.objects.get().desa_id == people.desa_a.membership.wilayah_id


def _install_failing_trigger(after_rows: int) -> None:
    """A real database trigger that aborts the n-th candidate insert: a crash in the middle of the commit."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "CREATE TRIGGER boom BEFORE INSERT ON imports_candidate "
                f"WHEN (SELECT COUNT(*) FROM imports_candidate) >= {after_rows} "
                "BEGIN SELECT RAISE(ABORT, 'disk penuh'); END"
            )
        else:
            cursor.execute(
                "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN "
                f"IF (SELECT COUNT(*) FROM imports_candidate) >= {after_rows} THEN RAISE EXCEPTION 'disk penuh'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            cursor.execute("CREATE TRIGGER boom BEFORE INSERT ON imports_candidate FOR EACH ROW EXECUTE FUNCTION boom()")


def test_a_crash_during_commit_leaves_nothing_half_written(people, program):
    batch = upload(program, people.operator_a, xlsx_bytes(GOOD))
    _install_failing_trigger(after_rows=1)
    with pytest.raises(Exception, match="disk penuh"):
        services.commit(batch, user=people.operator_a)
    assert Candidate.objects.count() == 0 and Person.objects.count() == 0
    assert not AuditEntry.objects.filter(model="imports.candidate").exists()
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW and "tidak ada data yang berubah" in batch.error


@pytest.mark.django_db(transaction=True)
def test_the_background_worker_validates_and_commits(people):
    from lindung.imports.tasks import commit_batch_task, validate_batch_task

    program = people.program_a
    batch = services.start_import(program=program, user=people.operator_a,
                                  upload=SimpleUploadedFile("d.xlsx", xlsx_bytes(GOOD + BAD)), enqueue=False)
    validate_batch_task.enqueue(batch.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEW and batch.progress == 100
    commit_batch_task.enqueue(batch.pk, people.operator_a.pk)
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.DONE and batch.created == 3


def test_a_desa_operator_cannot_take_over_another_desas_candidate(people, program):
    pauh = people.desa_a2.membership.wilayah
    rows = [[GOOD[2][0], "Rudi Hartono", GOOD[2][2], "L", None, "Nelayan", None, None]]
    services.commit(upload(program, people.desa_a2, xlsx_bytes(rows), desa=pauh), user=people.desa_a2)
    moro = people.desa_a.membership.wilayah
    rows[0][1] = "Nama Palsu"
    batch = upload(program, people.desa_a, xlsx_bytes(rows), desa=moro)
    assert batch.rows_ok == 0 and batch.problems[0]["code"] == "nik_di_desa_lain"
    assert "2102" not in batch.problems[0]["message"]
    rudi = Candidate.objects.get()
    assert (rudi.nama, rudi.desa_id) == ("Rudi Hartono", pauh.kode)


def test_a_verified_candidate_is_not_changed_by_a_new_upload(people, program):
    from lindung.imports.models import CandidateStatus

    services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    Candidate.objects.filter(nik=GOOD[0][0]).update(status=CandidateStatus.TERVERIFIKASI)
    same = upload(program, people.operator_a, xlsx_bytes(GOOD))
    assert same.rows_ok == 3  # the same data again: nothing to change, nothing refused
    changed = [list(r) for r in GOOD]
    changed[0][1] = "Siti Berubah"
    batch = upload(program, people.operator_a, xlsx_bytes(changed))
    assert (batch.rows_ok, batch.rows_rejected) == (2, 1)
    assert [p["code"] for p in batch.problems] == ["calon_sudah_diproses"]
    services.commit(batch, user=people.operator_a)
    assert Candidate.objects.get(nik=GOOD[0][0]).nama == "Siti Aminah"


def test_a_committed_upload_says_what_comes_next(client, people, program):
    batch = upload(program, people.desa_a, xlsx_bytes(GOOD[:1]))
    page = client.get(f"/impor/{batch.pk}/")  # not logged in: sent to the login page
    assert page.status_code == 302
    client.force_login(people.desa_a)
    assert 'id="langkah-berikut"' not in client.get(f"/impor/{batch.pk}/").content.decode()  # a preview: not yet
    services.commit(batch, user=people.desa_a)
    body = client.get(f"/impor/{batch.pk}/").content.decode()
    assert 'id="langkah-berikut"' in body
    assert f"/program/{program.slug}/verifikasi/" in body and f"/program/{program.slug}/unggah/" in body
