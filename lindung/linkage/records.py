"""The database's people as the matching engine's records (lindung.matching.columns.COLUMNS).

Candidates are "c<pk>", BPJS participants "p<pk>". Places are Kemendagri codes: unambiguous where desa
names repeat across kecamatan, and the same in every list because the import checked them.
"""

from __future__ import annotations

from django.db.models import Min

from lindung.imports.models import Candidate
from lindung.registry.models import BpjsParticipant

CANDIDATE, PARTICIPANT = "c", "p"


def candidate_id(pk: int) -> str:
    return f"{CANDIDATE}{pk}"


def participant_id(pk: int) -> str:
    return f"{PARTICIPANT}{pk}"


def parse_id(record_id: str) -> tuple[str, int]:
    """"c12" -> ("c", 12); anything else is not ours and raises ValueError."""
    prefix, number = record_id[:1], record_id[1:]
    if prefix not in (CANDIDATE, PARTICIPANT) or not number.isdigit():
        raise ValueError(f"unknown record id {record_id!r}")
    return prefix, int(number)


def candidate_records() -> list[dict]:
    """Every candidate of every programme, funding source and level, in pk order."""
    fields = ("pk", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu", "desa_id", "no_hp")
    return [
        {"id": candidate_id(pk), "nik": nik, "nama": nama, "tanggal_lahir": born, "jenis_kelamin": sex,
         "nama_ibu": ibu, "desa": desa, "kecamatan": desa[:8], "kabupaten": desa[:5], "no_hp": hp}
        for pk, nik, nama, born, sex, ibu, desa, hp in Candidate.objects.order_by("pk").values_list(*fields)
    ]


def participant_pks() -> list[int]:
    """One participant per pemda and KPJ: the first stored. A roster uploaded again repeats its rows; the
    first copy stays the same across uploads, so a decision about it is kept. Per pemda, because a roster
    pairs only with its own pemda's candidates (linkage.services.store_pairs)."""
    firsts = BpjsParticipant.objects.values("roster__pemda_id", "kpj").annotate(first=Min("pk"))
    return sorted(firsts.values_list("first", flat=True))


def participant_records() -> list[dict]:
    pks = set(participant_pks())
    rows = BpjsParticipant.objects.order_by("pk").values_list("pk", "nik", "nama", "tanggal_lahir", "kpj")
    return [{"id": participant_id(pk), "nik": nik, "nama": nama, "tanggal_lahir": born, "kpj": kpj}
            for pk, nik, nama, born, kpj in rows if pk in pks]
