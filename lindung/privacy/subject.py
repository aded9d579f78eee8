"""Subject access (UU PDP: the right to information and a copy): everything held about one NIK, as a PDF.

Scoped to what the asking user's pemda holds (its programmes' candidates, its BPJS branch list); records of
other people that the matching engine paired with this one are named only by their programme, never by
their data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string

from lindung.accounts.models import AuditEntry
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate
from lindung.linkage.models import MatchPair
from lindung.reports.pdf import render_pdf
from lindung.registry.models import BpjsParticipant, Person


@dataclass
class CandidateHeld:
    candidate: Candidate
    decisions: list
    status_changes: list
    enrolments: list
    pairs: list[tuple[MatchPair, str]]  # (pair, what the other record is, without its data)


@dataclass
class SubjectRecord:
    nik: str
    person: Person | None
    candidates: list[CandidateHeld] = field(default_factory=list)
    bpjs: list[BpjsParticipant] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.candidates or self.bpjs)


def _other_side(pair: MatchPair, candidate: Candidate) -> str:
    if pair.participant_id:
        return "peserta BPJS Ketenagakerjaan (daftar kantor cabang)"
    other = pair.right if pair.left_id == candidate.pk else pair.left
    return f"calon lain di program {other.program.nama}"


def gather(user, nik: str, *, pemda_kode: str | None) -> SubjectRecord:
    candidates = list(Candidate.objects.visible_to(user).filter(nik=nik)
                      .select_related("program", "desa", "source_batch").order_by("program__mulai", "pk"))
    person = Person.objects.filter(nik=nik).first() if candidates else None
    held = []
    for candidate in candidates:
        pairs = (MatchPair.objects.filter(Q(left=candidate) | Q(right=candidate))
                 .select_related("left__program", "right__program"))
        held.append(CandidateHeld(
            candidate=candidate,
            decisions=list(candidate.decisions.select_related("verifier", "berita_acara")),
            status_changes=list(candidate.status_changes.select_related("user")),
            enrolments=list(candidate.enrolments.select_related("cohort__program")),
            pairs=[(pair, _other_side(pair, candidate)) for pair in pairs],
        ))
    bpjs = BpjsParticipant.objects.filter(nik=nik).select_related("roster")
    if pemda_kode is not None:
        bpjs = bpjs.filter(roster__pemda_id=pemda_kode)
    record = SubjectRecord(nik=nik, person=person, candidates=held, bpjs=list(bpjs))
    record.audit = list(_audit_about(record))
    return record


def _audit_about(record: SubjectRecord):
    ids = {
        "imports.candidate": [h.candidate.pk for h in record.candidates],
        "enrolment.enrolment": [e.pk for h in record.candidates for e in h.enrolments],
        "linkage.matchpair": [p.pk for h in record.candidates for p, _ in h.pairs],
        "verification.verificationdecision": [d.pk for h in record.candidates for d in h.decisions],
        "registry.person": [record.person.pk] if record.person else [],
    }
    query = Q(pk__in=[])
    for model, pks in ids.items():
        if pks:
            query |= Q(model=model, object_id__in=[str(pk) for pk in pks])
    return AuditEntry.objects.filter(query).select_related("user").order_by("at", "id")


def subject_pdf(record: SubjectRecord, *, pemohon: str, alasan: str, pemda: str, made_by, made_at: datetime) -> bytes:
    html = render_to_string("privacy/subject_pdf.html", {"r": record, "pemohon": pemohon, "alasan": alasan,
                                                         "pemda": pemda, "made_by": made_by, "made_at": made_at,
                                                         "dpo": {"nama": settings.DPO_NAMA, "email": settings.DPO_EMAIL,
                                                                 "telepon": settings.DPO_TELEPON}})
    return render_pdf(html)
