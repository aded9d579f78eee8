"""A participant who moved to another kabupaten with its own programme in this installation (R16 "pindah"):
offered to that programme's waiting list; its operator accepts with the new desa, or declines."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from lindung.protection.models import MoveOffer
from lindung.enrolment import services as enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.programs.models import Program
from lindung.registry.models import Region

COPIED = ("person_id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "tempat_lahir", "pekerjaan", "no_hp",
          "nama_ibu", "no_kk", "raw")


class MoveError(ValueError):
    """A move that cannot be decided; the message says why, in Indonesian."""


def offer(candidate: Candidate, *, kabupaten: str, today: date, user) -> list[MoveOffer]:
    """Offer the person to every running programme of the destination kabupaten (idempotent)."""
    targets = Program.objects.filter(pemda_id=kabupaten, selesai__gte=today).exclude(pk=candidate.program_id)
    return [MoveOffer.objects.get_or_create(candidate=candidate, program=p, defaults={"created_by": user})[0]
            for p in targets]


def decide(move: MoveOffer, *, accept: bool, user, desa: str = "", catatan: str = "") -> Candidate | None:
    if move.status != MoveOffer.Status.MENUNGGU:
        raise MoveError("Tawaran ini sudah diputuskan.")
    with transaction.atomic():
        move.status = MoveOffer.Status.DITERIMA if accept else MoveOffer.Status.DITOLAK
        move.decided_by, move.decided_at, move.catatan = user, timezone.now(), catatan[:255]
        move.save(update_fields=["status", "decided_by", "decided_at", "catatan"])
        return _join(move, desa, user) if accept else None


def _join(move: MoveOffer, desa: str, user) -> Candidate:
    program, origin = move.program, move.candidate
    if not Region.objects.filter(kode=desa, kode__startswith=f"{program.pemda_id}.",
                                 tingkat__in=["desa", "kelurahan"]).exists():
        raise MoveError(f"Isi kode desa/kelurahan tempat tinggal baru di wilayah {program.pemda_id}.")
    if Candidate.objects.filter(program=program, nik=origin.nik).exists():
        raise MoveError("Orang ini sudah ada di daftar program tujuan.")
    joined = Candidate.objects.create(program=program, desa_id=desa, status=CandidateStatus.TERVERIFIKASI,
                                      level_index=len(program.levels), **{f: getattr(origin, f) for f in COPIED})
    StatusChange.objects.create(candidate=joined, old=CandidateStatus.CALON, new=CandidateStatus.TERVERIFIKASI,
                                user=user, reason=f"Pindahan dari {origin.program.slug}, diterima operator program ini")
    cohort = enrolment.latest_cohort(program)
    if cohort is not None:
        enrolment.add_verified(cohort)  # a free seat, else the waiting list
    return joined
