"""Retention (R25): find what has outlived its rule and delete or anonymise it, one audit entry per record.

Each period counts from the later of the programme's end and the record's own date (upload, SK made), so a
late upload to an old programme still gets its full period. `lindung retensi` runs `run()` from cron or a
systemd timer; running it twice changes nothing the second time
(every finder skips what is already gone). People still covered — *diajukan*, *terdaftar* or *aktif* in any
programme — are never touched, whatever the rule says. Files leave storage only after the database change
commits, so a failed run never leaves a row pointing at a deleted file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Q

from lindung.domain.periods import Month
from lindung.enrolment.models import Cohort
from lindung.imports.models import Candidate, CandidateStatus, ImportBatch
from lindung.lib.audit import change_entry, label, record_change
from lindung.accounts.models import AuditEntry
from lindung.privacy.models import RecordType, RetentionRule
from lindung.registry.models import BpjsRoster
from lindung.verification.models import BeritaAcara

COVERED = (CandidateStatus.DIAJUKAN, CandidateStatus.TERDAFTAR, CandidateStatus.AKTIF)
RUNNING = (ImportBatch.Status.QUEUED, ImportBatch.Status.VALIDATING, ImportBatch.Status.COMMITTING)


@dataclass(frozen=True)
class Action:
    jenis: str
    model: str
    object_id: str
    keterangan: str  # Indonesian, names no person
    rows: int = 1

    def as_json(self) -> dict:
        return {"jenis": self.jenis, "model": self.model, "id": self.object_id, "keterangan": self.keterangan, "rows": self.rows}


Plan = Iterator[tuple[Action, Callable[[], None]]]


def months_before(day: date, months: int) -> date:
    month = Month.of(day) - months
    return date(month.year, month.month, min(day.day, month.last_day.day))


def _covered_niks():
    return Candidate.objects.filter(status__in=COVERED).values("nik")


def _note(rule: RetentionRule) -> str:
    return f"retensi {rule.kode}: {rule.bulan} bulan sejak {rule.acuan}"[:200]


def _drop_file(rule: RetentionRule, instance, field: str, **also) -> None:
    """Empty the file field (and `also`), audit it, and delete the file once the transaction commits."""
    file = getattr(instance, field)
    name, storage = file.name, file.storage
    type(instance).objects.filter(pk=instance.pk).update(**{field: None if file.field.null else ""}, **also)
    record_change(None, instance, old={field: name}, new={field: ""}, note=_note(rule))
    transaction.on_commit(lambda: storage.delete(name))


def _has_file(field: str) -> Q:
    return ~Q(**{field: ""}) & Q(**{f"{field}__isnull": False})


def plan_import_files(rule: RetentionRule, cutoff: date) -> Plan:
    batches = (ImportBatch.objects.filter(_has_file("file"), program__selesai__lt=cutoff, created_at__date__lt=cutoff)
               .exclude(status__in=RUNNING).exclude(candidates__nik__in=_covered_niks()).distinct().select_related("program"))
    for batch in batches:
        action = Action(rule.kode, label(batch), str(batch.pk), f"berkas unggahan {batch.pk} program {batch.program.slug}")
        yield action, lambda batch=batch: _drop_file(rule, batch, "file")


def plan_raw_rows(rule: RetentionRule, cutoff: date) -> Plan:
    """The rows as uploaded, on each candidate and in each batch's preview: emptied, per programme."""
    candidates = (Candidate.objects.filter(program__selesai__lt=cutoff, created_at__date__lt=cutoff).exclude(raw={})
                  .exclude(nik__in=_covered_niks()))
    per_program = candidates.values("program_id", "program__slug").annotate(n=Count("id")).order_by("program__slug")
    for row in per_program:
        action = Action(rule.kode, label(Candidate), "", f"baris asli {row['n']} calon program {row['program__slug']}", row["n"])
        yield action, lambda pk=row["program_id"]: _empty_raw(rule, candidates.filter(program_id=pk))
    batches = (ImportBatch.objects.filter(~Q(sample=[]) | ~Q(problems=[]), program__selesai__lt=cutoff,
                                          created_at__date__lt=cutoff)
               .exclude(status__in=RUNNING).exclude(candidates__nik__in=_covered_niks()).distinct().select_related("program"))
    for batch in batches:
        action = Action(rule.kode, label(batch), str(batch.pk), f"pratinjau unggahan {batch.pk} program {batch.program.slug}",
                        len(batch.sample) + len(batch.problems))
        yield action, lambda batch=batch: _empty_preview(rule, batch)


def _empty_raw(rule: RetentionRule, candidates) -> None:
    rows = list(candidates.select_for_update().only("pk", "raw"))
    entries = [change_entry(None, c, old={"raw": f"{len(c.raw)} kolom"}, new={"raw": {}}, note=_note(rule)) for c in rows]
    Candidate.objects.filter(pk__in=[c.pk for c in rows]).update(raw={})
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def _empty_preview(rule: RetentionRule, batch: ImportBatch) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(sample=[], problems=[])
    record_change(None, batch, old={"sample": f"{len(batch.sample)} baris", "problems": f"{len(batch.problems)} masalah"},
                  new={"sample": [], "problems": []}, note=_note(rule))


def plan_roster_files(rule: RetentionRule, cutoff: date) -> Plan:
    for roster in BpjsRoster.objects.filter(_has_file("file"), uploaded_at__date__lt=cutoff):
        action = Action(rule.kode, label(roster), str(roster.pk), f"berkas peserta BPJS {roster.pk} pemda {roster.pemda_id}")
        yield action, lambda roster=roster: _drop_file(rule, roster, "file")


def plan_berita_acara(rule: RetentionRule, cutoff: date) -> Plan:
    papers = (BeritaAcara.objects.filter(_has_file("file"), program__selesai__lt=cutoff, uploaded_at__date__lt=cutoff)
              .exclude(decisions__candidate__nik__in=_covered_niks()).distinct().select_related("program"))
    for paper in papers:
        action = Action(rule.kode, label(paper), str(paper.pk), f"berita acara {paper.pk} program {paper.program.slug}")
        yield action, lambda paper=paper: _drop_file(rule, paper, "file")


def plan_sk_pdf(rule: RetentionRule, cutoff: date) -> Plan:
    made_before = Q(sk_made_at__isnull=True) | Q(sk_made_at__date__lt=cutoff)
    cohorts = (Cohort.objects.filter(_has_file("sk_pdf"), made_before, program__selesai__lt=cutoff)
               .exclude(enrolments__candidate__nik__in=_covered_niks()).distinct().select_related("program"))
    for cohort in cohorts:
        action = Action(rule.kode, label(cohort), str(cohort.pk), f"PDF SK penetapan program {cohort.program.slug}")
        yield action, lambda cohort=cohort: _drop_sk(rule, cohort)


def _drop_sk(rule: RetentionRule, cohort: Cohort) -> None:
    """The SK's first PDF and, for an SK made in volumes, every other volume."""
    others, storage = cohort.sk_files[1:], cohort.sk_pdf.storage
    _drop_file(rule, cohort, "sk_pdf", sk_made_at=None, sk_jilid=[])
    transaction.on_commit(lambda: [storage.delete(name) for name in others])


PLANNERS: dict[str, Callable[[RetentionRule, date], Plan]] = {
    RecordType.BERKAS_IMPOR: plan_import_files,
    RecordType.BARIS_ASLI: plan_raw_rows,
    RecordType.BERKAS_PESERTA_BPJS: plan_roster_files,
    RecordType.BERITA_ACARA: plan_berita_acara,
    RecordType.SK_PDF: plan_sk_pdf,
}


def run(*, today: date, dry_run: bool) -> list[Action]:
    """Every action due on `today`; carried out (each in its own transaction) unless `dry_run`."""
    done: list[Action] = []
    for rule in RetentionRule.objects.filter(aktif=True).order_by("kode"):
        cutoff = months_before(today, rule.bulan)
        for action, apply in list(PLANNERS[rule.kode](rule, cutoff)):
            if not dry_run:
                with transaction.atomic():
                    apply()
            done.append(action)
    return done
