"""The BPJS loop: the pengajuan file for the branch, and its answer applied all-or-nothing (R10–R12).

Seated candidates go calon … terverifikasi → diajukan when the Disnaker confirms *Ajukan ke BPJS* (a POST
naming how many people); the file is a plain download of whoever awaits the branch's answer and changes
nothing, however often it is downloaded (issue 16). The branch's answer moves
each to terdaftar (with its KPJ number) or ditolak, and a rejected seat goes to the waiting list.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lindung.domain.pekerjaan import label_of
from lindung.enrolment import bpjs_files, jawaban
from lindung.enrolment.models import Cohort, Enrolment
from lindung.enrolment.services import release, transition
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.lib.bulk import insert_many


def submit(cohort: Cohort, *, user) -> list[Enrolment]:
    """Mark every seated, verified candidate as diajukan; return all seated candidates now awaiting BPJS."""
    submit_all(cohort, user=user)
    return list(_awaiting(cohort))


def submit_all(cohort: Cohort, *, user, progress=None) -> int:
    """*Ajukan ke BPJS*, set-based: one UPDATE per 5.000 candidates and the status log as multi-row INSERTs,
    in one transaction (the background job's body for a province's 600.000); returns how many moved."""
    report = progress or (lambda **_kw: None)
    program = cohort.program
    reason = f"Diajukan ke BPJS ({program.kode_kepesertaan}, PKS {program.pks_nomor or '-'})"[:255]
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)  # one submission at a time per cohort
        pks = sorted(to_submit(cohort).order_by().values_list("candidate_id", flat=True))
        report(done=0, total=len(pks), text="Mengubah status menjadi Diajukan")
        for start in range(0, len(pks), _CHUNK):
            Candidate.objects.filter(pk__in=pks[start:start + _CHUNK]).update(
                status=CandidateStatus.DIAJUKAN, version=F("version") + 1)
            report(done=start + len(pks[start:start + _CHUNK]))
        now, user_id = timezone.now(), getattr(user, "pk", None)
        insert_many(StatusChange, ("candidate", "old", "new", "user", "reason", "at"),
                    ((pk, CandidateStatus.TERVERIFIKASI, CandidateStatus.DIAJUKAN, user_id, reason, now) for pk in pks))
    return len(pks)


_CHUNK = 5000  # under SQLite's 32.766 variables per statement


def to_submit(cohort: Cohort):
    """Seated and verified, not yet submitted: who *Ajukan ke BPJS* would move to diajukan."""
    return cohort.seated.filter(candidate__status=CandidateStatus.TERVERIFIKASI)


def awaiting_seated(cohort: Cohort):
    """Submitted, seated and not yet answered: the people in the pengajuan file."""
    return _awaiting(cohort).filter(state=Enrolment.State.SEATED)


def _awaiting(cohort: Cohort):
    """Everyone submitted and not yet answered, including someone whose seat was given up meanwhile."""
    return (cohort.enrolments.filter(state__in=[Enrolment.State.SEATED, Enrolment.State.OUT],
                                     candidate__status=CandidateStatus.DIAJUKAN)
            .select_related("candidate").order_by("urutan"))


class _Submitted(NamedTuple):
    """The candidate fields the pengajuan lists (read as tuples for a province's 600.000)."""

    nik: str
    nama: str
    tempat_lahir: str
    tanggal_lahir: date | None
    jenis_kelamin: str
    alamat: str
    rt: str
    rw: str
    desa_id: str
    pekerjaan: str
    no_hp: str
    nama_ibu: str


def _person(enrolment: Enrolment) -> bpjs_files.SubmissionPerson:
    return _person_of(enrolment.candidate)


def _person_of(c) -> bpjs_files.SubmissionPerson:
    alamat = " ".join(part for part in (c.alamat, f"RT {c.rt}" if c.rt else "", f"RW {c.rw}" if c.rw else "") if part)
    return bpjs_files.SubmissionPerson(
        nik=c.nik, nama=c.nama, tempat_lahir=c.tempat_lahir, tanggal_lahir=c.tanggal_lahir,
        jenis_kelamin=c.jenis_kelamin, alamat=alamat, kode_desa=c.desa_id, pekerjaan=label_of(c.pekerjaan),
        no_hp=c.no_hp, nama_ibu=c.nama_ibu)


def submission_file(cohort: Cohort, *, fmt: str = "xlsx") -> bytes:
    """The pengajuan of everyone submitted and awaiting the answer; reading only, never a status change."""
    people = [_person(e) for e in awaiting_seated(cohort)]
    options = _file_options(cohort.program)
    if fmt == "csv":
        return bpjs_files.build_submission_csv(people, **options)
    return bpjs_files.build_submission_xlsx(people, created=timezone.now(), **options)


def write_submission_file(cohort: Cohort, path: str, *, fmt: str = "xlsx", progress=None) -> int:
    """The same file written to `path` as the rows are read (a few thousand people in memory at a time),
    for the background job; returns how many people it lists."""
    report = progress or (lambda **_kw: None)
    count = 0
    # Plain tuples, not an Enrolment and a Candidate object per person: the same fields, several times faster.
    rows = awaiting_seated(cohort).values_list(*(f"candidate__{name}" for name in _Submitted._fields))

    def people():
        nonlocal count
        for values in rows.iterator(chunk_size=5000):
            count += 1
            if count % 5000 == 0:
                report(done=count)
            yield _person_of(_Submitted(*values))

    options = _file_options(cohort.program)
    if fmt == "csv":
        with open(path, "wb") as handle:
            bpjs_files.write_submission_csv(handle, people(), **options)
    else:
        bpjs_files.write_submission_xlsx(path, people(), created=timezone.now(), **options)
    return count


def _file_options(program) -> dict:
    return {"program": program.nama, "pks_nomor": program.pks_nomor, "kode_kepesertaan": program.kode_kepesertaan}


def apply_response(cohort: Cohort, data, filename: str, *, user, progress=None) -> bpjs_files.ResponseResult:
    """Check the whole answer (bytes or an open binary file) first; apply it only when it has no problem, in
    one transaction — read, checked and applied 5.000 rows at a time (lindung.enrolment.jawaban), so a
    province's 600.000 answers never sit in memory. The result keeps the first problems and their count."""
    return jawaban.apply_answer(cohort, data, filename, user=user, awaiting=_awaiting(cohort), apply_row=_apply_row,
                                max_alasan=_max_alasan(), progress=progress)


_REJECTED = "Ditolak BPJS: "


def _max_alasan() -> int:
    """The branch's Keterangan is logged after _REJECTED in StatusChange.reason; longer is refused, not cut."""
    return StatusChange._meta.get_field("reason").max_length - len(_REJECTED)


def _apply_row(enrolment: Enrolment, row: bpjs_files.ResponseRow, user) -> None:
    gone = enrolment.state == Enrolment.State.OUT  # seat given up after submission (died, moved, …)
    if row.status == "terdaftar":
        enrolment.kpj = row.kpj
        enrolment.save(update_fields=["kpj", "updated_at"])
        transition(enrolment.candidate, CandidateStatus.TERDAFTAR, user=user, reason=f"Terdaftar BPJS, KPJ {row.kpj}")
        if gone:
            transition(enrolment.candidate, CandidateStatus.BERAKHIR, user=user,
                       reason=f"Keluar sebelum jawaban BPJS: {enrolment.alasan}")
        return
    reason = f"{_REJECTED}{row.alasan or row.reason_code}"
    transition(enrolment.candidate, CandidateStatus.DITOLAK, user=user, reason=reason)
    if not gone:
        release(enrolment, user=user, reason=reason)
