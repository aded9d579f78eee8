"""The database's people as the engine reads them: in chunks along the primary key, as Arrow, never as one
Python dict per person (issue 18: a province's million candidates) — and exactly the input the engine got
when it read them as dicts."""

import duckdb

from lindung.imports.models import Candidate
from lindung.linkage import records
from lindung.linkage.tests.factories import BUDI, OTHERS, SITI, YUSUF, load, load_roster
from lindung.matching import columns
from lindung.registry.models import BpjsParticipant


def as_dicts_candidates() -> list[dict]:
    """How the job read candidates before (one dict per person, every value as stored)."""
    fields = ("pk", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu", "desa_id", "no_hp")
    return [{"id": records.candidate_id(pk), "nik": nik, "nama": nama, "tanggal_lahir": born, "jenis_kelamin": sex,
             "nama_ibu": ibu, "desa": desa, "kecamatan": desa[:8], "kabupaten": desa[:5], "no_hp": hp}
            for pk, nik, nama, born, sex, ibu, desa, hp in Candidate.objects.order_by("pk").values_list(*fields)]


def as_dicts_participants() -> list[dict]:
    pks = set(records.participant_pks())
    rows = BpjsParticipant.objects.order_by("pk").values_list("pk", "nik", "nama", "tanggal_lahir", "kpj")
    return [{"id": records.participant_id(pk), "nik": nik, "nama": nama, "tanggal_lahir": born, "kpj": kpj}
            for pk, nik, nama, born, kpj in rows if pk in pks]


def engine_input(source) -> list[tuple]:
    """The engine's raw table (every contract column as text) built from `source`."""
    con = duckdb.connect()
    columns.load(con, "raw", source, label="uji")
    return con.execute("SELECT * FROM raw ORDER BY id").fetchall()


def test_the_chunked_reader_gives_the_engine_the_same_input_as_reading_dicts(people):
    program = people.program_a
    # Blank mother and phone, a birth date, two desa: what a list carries and leaves empty.
    load(program, people.operator_a, [BUDI, SITI, YUSUF.but(ibu="", hp=""), *OTHERS])
    Candidate.objects.filter(nik=SITI.nik).update(tanggal_lahir=None)
    load_roster(program.pemda, people.admin_a, ["2102011203850040;M. YUSUF;12/03/1985;21099988877;BPU",
                                                "2102030303730303;Orang Lain;;21099988878;PU"])
    # The same roster uploaded again repeats its rows: only the first copy is read.
    load_roster(program.pemda, people.admin_a, ["2102011203850040;M. YUSUF;12/03/1985;21099988877;BPU"])

    for chunk in (2, 3, 1000):  # many chunks, a last short one, and one chunk for everything
        table = records.candidate_table(chunk=chunk)
        assert table.num_rows == Candidate.objects.count() == 8
        assert engine_input(table) == engine_input(as_dicts_candidates())
        participants = records.participant_table(chunk=chunk)
        assert participants.num_rows == 2
        assert engine_input(participants) == engine_input(as_dicts_participants())
    first = engine_input(records.candidate_table(chunk=3))
    assert all(row[0].startswith("c") for row in first)
    siti = next(row for row in first if row[1] == SITI.nik)
    assert siti[3] is None and siti[7] == "21.02.01"  # no birth date; kecamatan from the desa code


def test_no_candidates_and_no_roster_read_as_empty_tables(db):
    assert records.candidate_table().num_rows == 0
    assert records.participant_table().num_rows == 0
    assert records.candidate_table().column_names == list(records.CANDIDATE_COLUMNS)
