import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from lindung.accounts.models import AuditEntry
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import CandidateStatus
from lindung.linkage.models import MatchPair
from lindung.lib.audit import record_change
from lindung.privacy.tests.helpers import PASSWORD_POST, decrypted_pdf
from lindung.privacy.tests.test_retention import candidate
from lindung.registry.models import BpjsParticipant, BpjsRoster
from lindung.test import DESA_A
from lindung.verification.models import Decision, VerificationDecision

pytestmark = pytest.mark.django_db

NIK = "2102015708900002"
ASK = {"nik": "2102 0157 0890 0002", "pemohon": "Siti Aminah (KTP diperlihatkan)", "alasan": "ingin tahu datanya",
       **PASSWORD_POST}


@pytest.fixture
def held(people):
    siti = candidate(people.program_a, NIK, status=CandidateStatus.TERVERIFIKASI)
    siti.person.nama, siti.person.nama_ibu = "Siti Aminah", "Rohana"
    siti.person.save()
    other = candidate(people.program_a, "2102011708900001")  # someone else, paired with Siti by the engine
    VerificationDecision.objects.create(candidate=siti, level="desa", decision=Decision.LAYAK, verifier=people.desa_a)
    siti.change_status(CandidateStatus.DIAJUKAN, user=people.admin_a, reason="pengajuan BPJS")
    cohort = Cohort.objects.create(program=people.program_a, mulai=date(2025, 11, 1), bulan=2, kursi=1,
                                   iuran_per_bulan=16800, iuran_per_orang=33600)
    Enrolment.objects.create(cohort=cohort, candidate=siti, urutan=1, state=Enrolment.State.SEATED)
    MatchPair.objects.create(kind=MatchPair.Kind.DUPLIKAT, left=siti, right=other, score=0.41, band="mungkin")
    roster = BpjsRoster.objects.create(pemda_id="21.02", original_name="peserta.xlsx")
    BpjsParticipant.objects.create(roster=roster, nik=NIK, nama="SITI AMINAH", kpj="21098765432", segmen="BPU")
    record_change(people.operator_a, siti, old={"alamat": ""}, new={"alamat": "Jl. Pelabuhan 3"}, note="unggahan ulang")
    # The same NIK in another pemda's programme: not this pemda's to give.
    candidate(people.program_b, NIK)
    return siti


def pdf_text(response) -> str:
    """The answer carries full data: it is locked with the password the admin set."""
    return " ".join(" ".join(page.extract_text() for page in decrypted_pdf(response.content).pages).split())


def test_it_answers_with_everything_held_about_the_nik_and_audits_it(client, people, held):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_subject_access"), ASK)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    for expected in (NIK, "Siti Aminah (KTP diperlihatkan)", "Rohana", people.program_a.nama, "Layak", "desa.a",
                     "Diajukan ke BPJS", "Mendapat kursi", "21098765432", "calon lain di program", "ubah"):
        assert expected in text, expected
    assert people.program_b.nama not in text  # another pemda's list
    assert "2102011708900001" not in text and "Orang 0001" not in text  # the paired person's data
    entry = AuditEntry.objects.get(action="export_nik", model="registry.person")
    assert entry.user == people.admin_a and entry.rows == 1 and entry.object_id == str(held.person.pk)
    assert "pemohon: Siti Aminah" in entry.note and "ingin tahu datanya" in entry.note


def test_a_nik_not_held_gets_an_answer_saying_so(client, people):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_subject_access"), {**ASK, "nik": "2102011708909999"})
    assert "Tidak ada data pribadi dengan NIK ini" in pdf_text(response)
    assert AuditEntry.objects.filter(action="export_nik", model="registry.person").count() == 1


def test_the_answer_does_not_open_without_the_password(client, people, held):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_subject_access"), ASK)
    assert PdfReader(io.BytesIO(response.content)).is_encrypted
    assert NIK.encode() not in response.content


def test_a_malformed_nik_is_refused_in_indonesian(client, people):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_subject_access"), {**ASK, "nik": "12345"})
    assert response.status_code == 200 and "NIK harus 16 angka" in response.content.decode()


@pytest.mark.parametrize("who", ["auditor_a", "operator_a", "verifier_a", "desa_a", "bpkad_a"])
def test_only_the_disnaker_admin_may_ask(client, people, who):
    client.force_login(getattr(people, who))
    assert client.post(reverse("privacy_subject_access"), ASK).status_code == 403
