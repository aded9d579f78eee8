"""The database's people as the matching engine's records (lindung.matching.columns.COLUMNS).

Candidates are "c<pk>", BPJS participants "p<pk>". Places are Kemendagri codes: unambiguous where desa
names repeat across kecamatan, and the same in every list because the import checked them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models import CharField, Min
from django.db.models.functions import Cast

from lindung.imports.models import Candidate
from lindung.registry.models import BpjsParticipant

CANDIDATE, PARTICIPANT = "c", "p"
CHUNK = 20_000  # rows read per query: Python holds one chunk as objects, the rest is Arrow (~150 bytes a person)
CANDIDATE_COLUMNS = ("id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu", "desa", "kecamatan",
                     "kabupaten", "no_hp")
PARTICIPANT_COLUMNS = ("id", "nik", "nama", "tanggal_lahir", "kpj")


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


def candidate_table(chunk: int = CHUNK) -> pa.Table:
    """Every candidate of every programme, funding source and level, in pk order, as the engine's text
    columns (lindung.matching.columns): read `chunk` rows at a time along the primary key and turned into
    Arrow column by column, so a province's million candidates never exist as a million Python dicts."""
    fields = ("pk", "nik", "nama", "lahir", "jenis_kelamin", "nama_ibu", "desa_id", "no_hp")

    def batch(rows: list[tuple]) -> pa.RecordBatch:
        pk, *texts = zip(*rows)
        nik, nama, born, sex, ibu, desa, hp = (_texts(values) for values in texts)
        kecamatan, kabupaten = pc.utf8_slice_codeunits(desa, 0, 8), pc.utf8_slice_codeunits(desa, 0, 5)
        return pa.record_batch([_ids(CANDIDATE, pk), nik, nama, born, sex, ibu, desa, kecamatan, kabupaten, hp],
                               names=list(CANDIDATE_COLUMNS))

    return _table(CANDIDATE_COLUMNS, (batch(rows) for rows in _chunks(Candidate.objects, fields, chunk)))


def participant_pks() -> list[int]:
    """One participant per pemda and KPJ: the first stored. A roster uploaded again repeats its rows; the
    first copy stays the same across uploads, so a decision about it is kept. Per pemda, because a roster
    pairs only with its own pemda's candidates (linkage.services.store_pairs)."""
    firsts = BpjsParticipant.objects.values("roster__pemda_id", "kpj").annotate(first=Min("pk"))
    return sorted(firsts.values_list("first", flat=True))


def participant_table(chunk: int = CHUNK) -> pa.Table:
    """The participants of participant_pks, in pk order, read like candidate_table."""
    pks = set(participant_pks())

    def batch(rows: list[tuple]) -> pa.RecordBatch | None:
        rows = [row for row in rows if row[0] in pks]
        if not rows:
            return None
        pk, *texts = zip(*rows)
        return pa.record_batch([_ids(PARTICIPANT, pk), *(_texts(values) for values in texts)],
                               names=list(PARTICIPANT_COLUMNS))

    fields = ("pk", "nik", "nama", "lahir", "kpj")
    batches = (batch(rows) for rows in _chunks(BpjsParticipant.objects, fields, chunk))
    return _table(PARTICIPANT_COLUMNS, (b for b in batches if b is not None))


def _chunks(queryset, fields: Sequence[str], size: int) -> Iterator[list[tuple]]:
    """values_list rows in pk order, `size` at a time, each query starting after the last pk seen (keyset:
    no OFFSET, no cursor held open across the whole table). `lahir` is the birth date as the database
    writes it, YYYY-MM-DD (no date objects made only to be written back as text)."""
    queryset = queryset.annotate(lahir=Cast("tanggal_lahir", output_field=CharField())).order_by("pk")
    last = None
    while True:
        page = queryset if last is None else queryset.filter(pk__gt=last)
        rows = list(page.values_list(*fields)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _ids(prefix: str, pks: Sequence[int]) -> pa.Array:
    """"c12" for candidate 12 (candidate_id / participant_id, column-wise)."""
    return pc.binary_join_element_wise(prefix, pa.array(pks, pa.int64()).cast(pa.string()), "")


def _texts(values: Sequence) -> pa.Array:
    """Text as the engine reads a cell (lindung.matching.columns._text): trimmed, and blank as NULL."""
    trimmed = pc.utf8_trim_whitespace(pa.array(values, pa.string()))
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _table(names: Sequence[str], batches) -> pa.Table:
    schema = pa.schema([(name, pa.string()) for name in names])
    return pa.Table.from_batches(list(batches), schema=schema)
