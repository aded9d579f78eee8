"""Issue 11 item 5: every imported text has the length its field stores, checked at validation with the
row and column named; control characters are removed with a warning. SQLite and PostgreSQL alike."""

from datetime import date

from lindung.imports import services
from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import GOOD, HEADERS, upload, xlsx_bytes
from lindung.registry.models import Person


def test_the_limits_come_from_the_model_fields():
    lengths = dict(services.imported_max_lengths())
    assert lengths["nama"] == Candidate._meta.get_field("nama").max_length == 150
    assert lengths["tempat_lahir"] == 80 and lengths["alamat"] == 255 and lengths["nama_ibu"] == 150


def test_a_name_longer_than_the_field_rejects_its_row_naming_row_and_column(people):
    long_name = "Siti " + "A" * 146  # 151 characters
    rows = [GOOD[0], [GOOD[1][0], long_name, *GOOD[1][2:]], GOOD[2]]
    batch = upload(people.program_a, people.operator_a, xlsx_bytes(rows))
    assert batch.status == ImportBatch.Status.PREVIEW and (batch.rows_ok, batch.rows_rejected) == (2, 1)
    [problem] = [p for p in batch.problems if p["code"] == "teks_terlalu_panjang"]
    assert (problem["row"], problem["column"], problem["severity"]) == (3, "Nama Lengkap", "error")
    assert "151 karakter; paling banyak 150" in problem["message"]
    services.commit(batch, user=people.operator_a)  # on PostgreSQL this used to fail the whole commit
    assert set(Candidate.objects.values_list("nama", flat=True)) == {GOOD[0][1], GOOD[2][1]}
    assert ImportBatch.objects.get(pk=batch.pk).error == ""


def test_a_long_value_in_a_repeating_column_is_caught_on_every_row(people):
    place = "Tanjung " * 12  # 96 characters after tidying, over tempat lahir's 80
    headers = [*HEADERS, "Tempat Lahir"]
    rows = [[*GOOD[0], place], [*GOOD[1], place]]
    batch = upload(people.program_a, people.operator_a, xlsx_bytes(rows, headers=headers))
    found = [(p["row"], p["column"]) for p in batch.problems if p["code"] == "teks_terlalu_panjang"]
    assert found == [(2, "Tempat Lahir"), (3, "Tempat Lahir")]


def test_a_nul_byte_is_removed_with_a_warning_and_the_row_is_stored(people):
    rows = [[GOOD[0][0], "Siti\x00 Ami\x07nah", *GOOD[0][2:]]]
    batch = upload(people.program_a, people.operator_a, xlsx_bytes(rows))
    assert batch.status == ImportBatch.Status.PREVIEW and batch.rows_ok == 1  # the preview used to crash on PG
    [problem] = [p for p in batch.problems if p["code"] == "karakter_kendali_dihapus"]
    assert (problem["row"], problem["column"], problem["severity"]) == (2, "Nama Lengkap", "warning")
    assert batch.sample[0]["nama"] == "Siti Aminah"
    services.commit(batch, user=people.operator_a)
    candidate = Candidate.objects.get()
    assert candidate.nama == "Siti Aminah" and candidate.raw["Nama Lengkap"] == "Siti Aminah"
    assert Person.objects.get().nama == "Siti Aminah"


def test_a_nul_byte_in_a_csv_is_removed_too(people):
    line = ";".join([GOOD[0][0], "Bu\x00di", "01/01/1990", "P", GOOD[0][4], GOOD[0][5], "", ""])
    data = (";".join(HEADERS) + "\n" + line + "\n").encode()
    batch = upload(people.program_a, people.operator_a, data, name="daftar\x00.csv")
    assert batch.status == ImportBatch.Status.PREVIEW and batch.rows_ok == 1
    assert batch.original_name == "daftar.csv" and batch.sample[0]["nama"] == "Budi"


def test_a_failed_commit_keeps_row_data_out_of_the_batch(people):
    batch = upload(people.program_a, people.operator_a, xlsx_bytes(GOOD[:1]))
    from lindung.imports.tests.test_flow import _install_failing_trigger

    _install_failing_trigger(after_rows=0)
    try:
        services.commit(batch, user=people.operator_a)
    except Exception:
        pass
    batch.refresh_from_db()
    assert "tidak ada data yang berubah" in batch.error
    assert GOOD[0][0] not in batch.error and "disk penuh" not in batch.error


def test_dates_are_not_text_and_have_no_length_limit(people):
    rows = [[GOOD[0][0], GOOD[0][1], date(1990, 1, 1), *GOOD[0][3:]]]
    assert upload(people.program_a, people.operator_a, xlsx_bytes(rows)).rows_ok == 1
