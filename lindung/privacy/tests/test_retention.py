import json
from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from lindung.accounts.models import AuditEntry
from lindung.enrolment.models import Cohort
from lindung.imports.models import Candidate, CandidateStatus, ImportBatch
from lindung.privacy.models import RetentionRule
from lindung.privacy.retention import months_before
from lindung.registry.models import BpjsRoster, Person
from lindung.test import DESA_A, make_program
from lindung.verification.models import BeritaAcara, Decision, VerificationDecision

pytestmark = pytest.mark.django_db

TODAY = date(2027, 3, 1)  # programme "old" ended 31-12-2025: 14 months before


def backdate(instance, field: str, day: date) -> None:
    """Stored dates (auto_now_add) as if the row was made on `day`: the tests never depend on today's clock."""
    value = datetime(day.year, day.month, day.day, 3, 0, tzinfo=dt_timezone.utc)
    type(instance).objects.filter(pk=instance.pk).update(**{field: value})
    setattr(instance, field, value)


def candidate(program, nik, *, batch=None, status=CandidateStatus.CALON, created=date(2025, 2, 1)):
    person, _ = Person.objects.get_or_create(nik=nik, defaults={"nama": f"Orang {nik[-4:]}"})
    made = Candidate.objects.create(program=program, person=person, desa_id=DESA_A, nik=nik, nama=person.nama,
                                    pekerjaan="nelayan", raw={"NIK": nik, "Nama": person.nama}, source_batch=batch,
                                    status=status)
    backdate(made, "created_at", created)
    return made


def batch_with_file(program, name="daftar.xlsx"):
    batch = ImportBatch.objects.create(program=program, original_name=name, sha256="x" * 64, status=ImportBatch.Status.DONE,
                                       sample=[{"row": 2, "nik": "2102011708900001"}],
                                       problems=[{"row": 3, "column": "NIK", "code": "not_16_digits", "message": "NIK 123"}])
    batch.file.save(name, ContentFile(b"isi berkas"))
    backdate(batch, "created_at", date(2025, 2, 1))
    return batch


@pytest.fixture
def old(people):
    """A programme that ended more than 12 (but less than 60) months before TODAY, with a file of every kind."""
    program = make_program("lama", "21.02", mulai=date(2025, 1, 1), selesai=date(2025, 12, 31))
    batch = batch_with_file(program)
    gone = [candidate(program, f"210201170890{n:04d}", batch=batch) for n in (1, 2)]
    roster = BpjsRoster.objects.create(pemda_id="21.02", original_name="peserta.xlsx")
    roster.file.save("peserta.xlsx", ContentFile(b"peserta"))
    backdate(roster, "uploaded_at", date(2025, 6, 1))
    return {"program": program, "batch": batch, "gone": gone, "roster": roster}


def test_months_before_clamps_the_day():
    assert months_before(date(2027, 3, 31), 1) == date(2027, 2, 28)
    assert months_before(date(2027, 3, 1), 12) == date(2026, 3, 1)


def test_a_dry_run_lists_what_would_go_and_changes_nothing(old, capsys):
    call_command("retensi", "--dry-run", "--json", f"--tanggal={TODAY}")
    out = json.loads(capsys.readouterr().out)
    kinds = {(a["jenis"], a["model"]) for a in out["tindakan"]}
    assert kinds == {("berkas-impor", "imports.importbatch"), ("baris-asli", "imports.candidate"),
                     ("baris-asli", "imports.importbatch"), ("berkas-peserta-bpjs", "registry.bpjsroster")}
    assert out["dry_run"] is True
    old["batch"].refresh_from_db()
    assert old["batch"].file and old["batch"].file.storage.exists(old["batch"].file.name)
    assert Candidate.objects.get(pk=old["gone"][0].pk).raw
    assert not AuditEntry.objects.filter(note__startswith="retensi").exists()


def test_it_deletes_and_anonymises_with_an_audit_entry_each_and_is_idempotent(old, capsys, django_capture_on_commit_callbacks):
    path = old["batch"].file.name
    storage = old["batch"].file.storage
    with django_capture_on_commit_callbacks(execute=True):  # files leave storage once the change commits
        call_command("retensi", "--json", f"--tanggal={TODAY}")
    out = json.loads(capsys.readouterr().out)
    assert out["jumlah"] == 4 and out["dry_run"] is False
    batch = ImportBatch.objects.get(pk=old["batch"].pk)
    assert not batch.file and not storage.exists(path)
    assert batch.sample == [] and batch.problems == [] and batch.rows_total == old["batch"].rows_total
    assert all(c.raw == {} for c in Candidate.objects.filter(program=old["program"]))
    assert not BpjsRoster.objects.get(pk=old["roster"].pk).file
    entries = AuditEntry.objects.filter(note__startswith="retensi")
    assert entries.filter(model="imports.candidate").count() == 2  # one per anonymised row
    file_entry = entries.get(model="imports.importbatch", old__file=path)
    assert file_entry.user is None and file_entry.new == {"file": ""}
    assert "NIK" not in json.dumps(list(entries.values_list("old", flat=True)))  # the audit keeps no raw data
    # A second run finds nothing.
    call_command("retensi", "--json", f"--tanggal={TODAY}")
    assert json.loads(capsys.readouterr().out)["jumlah"] == 0


def test_it_never_touches_people_still_covered(old, capsys):
    # One person of the old list is active in a current programme: their rows and the old file stay.
    current = make_program("baru", "21.02", mulai=date(2027, 1, 1), selesai=date(2027, 12, 31))
    candidate(current, old["gone"][0].nik, status=CandidateStatus.AKTIF)
    call_command("retensi", f"--tanggal={TODAY}")
    assert ImportBatch.objects.get(pk=old["batch"].pk).file
    assert Candidate.objects.get(pk=old["gone"][0].pk).raw
    assert Candidate.objects.get(pk=old["gone"][1].pk).raw == {}
    assert "tindakan retensi" in capsys.readouterr().out


def test_a_late_upload_to_an_old_programme_gets_its_full_period(old, capsys):
    late = candidate(old["program"], "2102011708900009", created=date(2026, 6, 1))
    call_command("retensi", f"--tanggal={TODAY}")
    assert Candidate.objects.get(pk=late.pk).raw and Candidate.objects.get(pk=old["gone"][0].pk).raw == {}


def test_it_keeps_what_is_within_its_period(old, capsys):
    call_command("retensi", "--json", "--tanggal=2026-12-31")  # 12 months after the end: not yet
    out = json.loads(capsys.readouterr().out)
    assert {a["jenis"] for a in out["tindakan"]} == {"berkas-peserta-bpjs"}


def test_berita_acara_and_sk_go_after_sixty_months_and_a_switched_off_rule_never(old, capsys, people):
    program = old["program"]
    paper = BeritaAcara.objects.create(program=program, level="desa", original_name="ba.pdf")
    paper.file.save("ba.pdf", ContentFile(b"%PDF"))
    backdate(paper, "uploaded_at", date(2025, 3, 1))
    VerificationDecision.objects.create(candidate=old["gone"][1], level="desa", decision=Decision.LAYAK, berita_acara=paper)
    cohort = Cohort.objects.create(program=program, mulai=date(2025, 1, 1), bulan=12, kursi=1, iuran_per_bulan=16800,
                                   iuran_per_orang=201600)
    cohort.sk_pdf.save("sk.pdf", ContentFile(b"%PDF"))
    backdate(cohort, "sk_made_at", date(2025, 11, 20))
    RetentionRule.objects.filter(kode="berkas-peserta-bpjs").update(aktif=False)
    call_command("retensi", "--json", "--tanggal=2031-01-01")
    out = json.loads(capsys.readouterr().out)
    assert {"berita-acara", "sk-pdf"} <= {a["jenis"] for a in out["tindakan"]}
    assert "berkas-peserta-bpjs" not in {a["jenis"] for a in out["tindakan"]}
    assert not BeritaAcara.objects.get(pk=paper.pk).file
    cohort.refresh_from_db()
    assert not cohort.sk_pdf and cohort.sk_made_at is None
    assert VerificationDecision.objects.filter(berita_acara=paper).exists()  # the decision itself stays


def test_a_bad_date_is_an_indonesian_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="harus berformat YYYY-MM-DD"):
        call_command("retensi", "--tanggal=kemarin")


def test_an_sk_made_in_volumes_leaves_storage_whole(old, capsys, people, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    cohort = Cohort.objects.create(program=old["program"], mulai=date(2025, 1, 1), bulan=12, kursi=1,
                                   iuran_per_bulan=16800, iuran_per_orang=201600)
    names = [default_storage.save(f"sk/sk-{cohort.pk}-jilid-{i}.pdf", ContentFile(b"%PDF")) for i in (1, 2, 3)]
    Cohort.objects.filter(pk=cohort.pk).update(sk_pdf=names[0], sk_jilid=names)
    backdate(cohort, "sk_made_at", date(2025, 11, 20))
    with django_capture_on_commit_callbacks(execute=True):  # the files leave storage when the change commits
        call_command("retensi", "--json", "--tanggal=2031-01-01")
    assert "sk-pdf" in {a["jenis"] for a in json.loads(capsys.readouterr().out)["tindakan"]}
    cohort.refresh_from_db()
    assert not cohort.sk_pdf and cohort.sk_jilid == [] and cohort.sk_files == []
    assert not any(default_storage.exists(name) for name in names)
