"""A pair as the review page shows it: the two records side by side, the evidence in words, the score.

Full NIKs only for roles that see them and only for records inside the user's own area (accounts.access
`disclosure_for`); the other programme's or region's record is masked as a whole: NIK, birth date and
mother's name (and phone number), or its NIK could be put back together. A page that showed full NIKs is logged.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from lindung.accounts.access import disclosure_for
from lindung.imports.models import Candidate
from lindung.linkage.evidence import Evidence, describe, percent
from lindung.linkage.models import MatchPair

JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}
PAIR_RELATED = ("left__program", "left__desa__induk", "right__program", "right__desa__induk", "participant__roster",
                "decided_by")


@dataclass
class Side:
    nama: str
    nik: str
    tanggal_lahir: str = "–"
    jenis_kelamin: str = "–"
    nama_ibu: str = "–"
    desa: str = "–"
    kecamatan: str = "–"
    no_hp: str = "–"
    asal: str = ""           # the programme, or "Peserta BPJS (KPJ …)"
    status: str = ""
    candidate_pk: int | None = None  # linked to the candidate page when the user may open it
    full_nik: bool = False


@dataclass
class Card:
    pair: MatchPair
    left: Side
    right: Side
    evidence: list[Evidence]
    score: str
    notes: list[str] = field(default_factory=list)


def cards(user, pairs: list[MatchPair]) -> list[Card]:
    """Cards for pairs loaded with PAIR_RELATED; three queries whatever the number of pairs."""
    ids = {pk for p in pairs for pk in (p.left_id, p.right_id) if pk}
    mine = set(Candidate.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    seats = _seats_overlapping([p for p in pairs if p.kind == MatchPair.Kind.LINTAS])
    return [Card(pair=p, left=_candidate_side(p.left, p.left_id in mine, user),
                 right=_candidate_side(p.right, p.right_id in mine, user) if p.right_id else _participant_side(p.participant, user),
                 evidence=describe(p.evidence), score=percent(p.score), notes=_notes(p, seats))
            for p in pairs]


def full_nik_count(found: list[Card]) -> int:
    return sum(side.full_nik for card in found for side in (card.left, card.right))


def _candidate_side(c: Candidate, in_area: bool, user) -> Side:
    shown = disclosure_for(user, in_area=in_area)
    kecamatan = c.desa.induk.nama if c.desa.induk_id else "–"
    return Side(nama=c.nama, nik=shown.nik(c.nik), tanggal_lahir=shown.tanggal_lahir(c.tanggal_lahir),
                jenis_kelamin=JENIS_KELAMIN.get(c.jenis_kelamin, "–"), nama_ibu=shown.nama_ibu(c.nama_ibu), desa=c.desa.nama,
                kecamatan=kecamatan, no_hp=shown.no_hp(c.no_hp), asal=c.program.nama,
                status=c.get_status_display() + (f" · sudah terdaftar BPJS (KPJ {c.bpjs_kpj})" if c.bpjs_kpj else ""),
                candidate_pk=c.pk if in_area else None, full_nik=shown.full)


def _participant_side(p, user) -> Side:
    membership = getattr(user, "membership", None)
    own_roster = user.is_superuser or (membership is not None and p.roster.pemda_id == membership.pemda_kode)
    shown = disclosure_for(user, in_area=own_roster)
    segmen = f", segmen {p.segmen}" if p.segmen else ""
    return Side(nama=p.nama or "–", nik=shown.nik(p.nik), tanggal_lahir=shown.tanggal_lahir(p.tanggal_lahir),
                asal=f"Peserta BPJS (KPJ {p.kpj}{segmen})", status=f"daftar {p.roster.original_name}", full_nik=shown.full)


def _seats_overlapping(pairs: list[MatchPair]) -> set[int]:
    """Lintas pairs (pks) whose two candidates both hold a seat in overlapping months: billed twice (R9)."""
    if not pairs:
        return set()
    from lindung.enrolment.models import Enrolment

    ids = {pk for p in pairs for pk in (p.left_id, p.right_id)}
    seats: dict[int, list] = {}
    for e in Enrolment.objects.filter(Q(candidate__in=ids), state=Enrolment.State.SEATED).select_related("cohort"):
        seats.setdefault(e.candidate_id, []).append(e.cohort.window)
    return {p.pk for p in pairs
            if any(a.overlaps(b) for a in seats.get(p.left_id, ()) for b in seats.get(p.right_id, ()))}


def _notes(pair: MatchPair, seats: set[int]) -> list[str]:
    notes = []
    if pair.pk in seats:
        notes.append("Keduanya sudah mendapat kursi pada bulan yang tumpang tindih. Bila orangnya sama, keluarkan "
                     "salah satu di halaman Penetapan agar iurannya tidak dibayar dua kali.")
    if pair.kind == MatchPair.Kind.DUPLIKAT and pair.is_same_person:
        notes.append("Pilih calon yang disimpan di halaman Duplikat program ini.")
    return notes
