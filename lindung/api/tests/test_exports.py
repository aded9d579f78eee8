"""Exports of the lists: streamed and masked for masked roles, encrypted and audited for full-NIK roles,
formula injection neutralised, the page's filters applied, nothing outside the area."""

import io
from datetime import date

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from lindung.accounts.models import AuditEntry

from .conftest import NIK_BUDI, NIK_SITI, make_candidate

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_masked_csv_is_streamed_masked_and_neutralised(people, calon):
    make_candidate(people.program_a, "2102014101900009", nama="=HYPERLINK(\"http://x\")", tanggal_lahir=date(1990, 1, 1))
    response = client_for(people.auditor_a).get("/program/prog-a/calon/unduh.csv")
    assert response.status_code == 200 and response.streaming
    text = streamed(response).decode("utf-8-sig")
    assert "Budi Santoso" in text and "Siti Aminah" in text and "Orang PPU" not in text
    assert NIK_BUDI not in text and "2102010101900003" not in text and "1990-08-17" not in text
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert not AuditEntry.objects.filter(action="export_nik").exists()


def test_masked_xlsx_is_masked_and_keeps_formulas_as_text(people, calon):
    make_candidate(people.program_a, "2102014101900009", nama="=1+1")
    response = client_for(people.bpkad_a).get("/program/prog-a/calon/unduh.xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    names = [row[1] for row in rows[1:]]
    assert "=1+1" in names and NIK_BUDI not in str(rows)
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # stored as text, never as a formula


def test_the_page_filters_apply(people, calon):
    text = streamed(client_for(people.auditor_a).get("/program/prog-a/calon/unduh.csv", {"desa": "21.02.01.2004"})).decode("utf-8-sig")
    assert "Siti Aminah" in text and "Budi Santoso" not in text


def test_full_nik_export_asks_a_password_then_is_encrypted_and_audited(people, calon):
    client = client_for(people.operator_a)
    form = client.get("/program/prog-a/calon/unduh.csv")
    assert form.status_code == 200 and b"sandi" in form.content
    response = client.post("/program/prog-a/calon/unduh.csv", {"sandi": "rahasia-123", "sandi_ulang": "rahasia-123"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.zip"')
    import pyzipper

    with pyzipper.AESZipFile(io.BytesIO(response.content)) as archive:
        archive.setpassword(b"rahasia-123")
        text = archive.read("calon-prog-a.csv").decode("utf-8-sig")
    assert NIK_BUDI in text and NIK_SITI in text
    entry = AuditEntry.objects.get(action="export_nik", user=people.operator_a)
    assert entry.rows == 2 and "terenkripsi" in entry.note


def test_outsiders_and_desa_see_only_their_area(people, calon):
    assert client_for(people.outsider).get("/program/prog-a/calon/unduh.csv").status_code == 404
    client = client_for(people.desa_a)
    response = client.post("/program/prog-a/calon/unduh.csv", {"sandi": "rahasia-123", "sandi_ulang": "rahasia-123"})
    import pyzipper

    with pyzipper.AESZipFile(io.BytesIO(response.content)) as archive:
        archive.setpassword(b"rahasia-123")
        text = archive.read("calon-prog-a.csv").decode("utf-8-sig")
    assert "Budi Santoso" in text and "Siti Aminah" not in text


def test_other_lists_export(people, calon):
    from lindung.enrolment.models import Cohort, Enrolment
    from lindung.linkage.models import MatchPair

    cohort = Cohort.objects.create(program=people.program_a, mulai=people.program_a.mulai, bulan=2, kursi=1,
                                   iuran_per_bulan=16_800, iuran_per_orang=33_600)
    Enrolment.objects.create(cohort=cohort, candidate=calon["budi"], urutan=1, state=Enrolment.State.SEATED)
    MatchPair.objects.create(kind=MatchPair.Kind.LINTAS, left=calon["budi"], right=calon["b"], score=0.93, band="mungkin")
    client = client_for(people.auditor_a)
    cohort_csv = streamed(client.get("/program/prog-a/penetapan/unduh.csv")).decode("utf-8-sig")
    assert "Budi Santoso" in cohort_csv and "Mendapat kursi" in cohort_csv and NIK_BUDI not in cohort_csv
    pairs = streamed(client.get("/pencocokan/tinjau/unduh.csv")).decode("utf-8-sig")
    assert "Budi Santoso" in pairs and "6409014101900001" not in pairs
    queue = client_for(people.bpkad_a).get("/program/prog-a/verifikasi/unduh.xlsx")
    assert queue.status_code == 200
    assert client.get("/program/prog-a/duplikat/unduh.csv").status_code == 200
    assert client.get("/program/prog-a/calon/unduh.pdf").status_code == 404
