import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.imports import services as import_services
from lindung.imports.models import Candidate, CandidateStatus
from lindung.imports.tests.test_flow import GOOD, upload, xlsx_bytes
from lindung.verification import services
from lindung.verification.models import BeritaAcara, VerificationDecision
from lindung.verification.tests.helpers import semua


@pytest.fixture
def program(people):
    program = people.program_a
    program.tingkat_verifikasi = ["desa", "dinsos"]
    program.save()
    import_services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    return program


def url(program):
    return reverse("verification_queue", args=[program.slug])


def test_the_outsider_gets_404_and_cannot_decide(client, people, program):
    client.force_login(people.outsider)
    assert client.get(url(program)).status_code == 404
    assert client.post(url(program), {"keputusan": "layak", "semua": "on"}).status_code == 404
    assert not VerificationDecision.objects.exists()


def test_a_desa_operator_sees_and_decides_only_their_desa(client, people, program):
    client.force_login(people.desa_a)
    body = client.get(url(program)).content.decode()
    assert "Rudi Hartono" in body and "Siti Aminah" not in body
    rudi = Candidate.objects.get(nama="Rudi Hartono")
    ba = SimpleUploadedFile("berita-acara-moro.pdf", b"%PDF-1.4 musyawarah kelurahan")
    response = client.post(url(program), {"keputusan": "layak", "calon": [f"{rudi.pk}:{rudi.version}"], "berita_acara": ba})
    assert response.status_code == 302
    decision = VerificationDecision.objects.get()
    assert (decision.candidate, decision.level, decision.verifier) == (rudi, "desa", people.desa_a)
    assert decision.berita_acara == BeritaAcara.objects.get() and decision.berita_acara.desa_id == rudi.desa_id
    rudi.refresh_from_db()
    assert rudi.level_index == 1 and rudi.status == CandidateStatus.CALON


def test_a_stale_page_is_refused_with_a_message(client, people, program):
    rudi = Candidate.objects.get(nama="Rudi Hartono")
    seen = f"{rudi.pk}:{rudi.version}"
    client.force_login(people.desa_a)
    client.post(url(program), {"keputusan": "layak", "calon": [seen]})
    # a second tab, opened before the first decision, now says tidak layak
    response = client.post(url(program), {"keputusan": "tidak_layak", "alasan": "meninggal", "calon": [seen]}, follow=True)
    assert VerificationDecision.objects.count() == 1
    body = response.content.decode()
    # The same user's own first tab decided it: said as theirs, with when, not as someone else's.
    decided = services.when(VerificationDecision.objects.get().decided_at)
    assert (f"Rudi Hartono sudah Anda putuskan sendiri layak pada tingkat Desa/kelurahan ({decided}), lewat keputusan "
            "Anda sebelumnya. Keputusan ini tidak disimpan; muat ulang halaman.") in body


def test_bulk_decision_for_everyone_pending_and_reason_required(client, people, program):
    client.force_login(people.admin_a)
    assert client.post(url(program), {"keputusan": "layak", "semua": "on"}).status_code == 403  # Disnaker is no level here
    client.force_login(people.verifier_a)
    Candidate.objects.update(level_index=1)  # as if every desa had decided
    page = client.post(url(program), semua(client, url(program), keputusan="tidak_layak"))
    assert "wajib memilih alasan" in page.content.decode()
    client.post(url(program), semua(client, url(program)))
    assert Candidate.objects.filter(status=CandidateStatus.TERVERIFIKASI).count() == 3


def test_read_only_roles_see_progress_but_cannot_decide(client, people, program):
    client.force_login(people.auditor_a)
    page = client.get(url(program)).content.decode()
    assert "Kemajuan per tingkat" in page and "Menunggu keputusan Anda" not in page
    assert client.post(url(program), {"keputusan": "layak", "semua": "on"}).status_code == 403


def test_large_ids_are_not_written_with_thousands_separators(client, people, program):
    # Indonesian number formatting would turn 12345 into "12.345" and the decision would find nobody.
    Candidate.objects.filter(nama="Rudi Hartono").update(id=12345)
    client.force_login(people.desa_a)
    assert 'value="12345:0"' in client.get(url(program)).content.decode()
    client.post(url(program), {"keputusan": "layak", "calon": ["12345:0"]})
    assert VerificationDecision.objects.get().candidate_id == 12345


def test_a_bulk_decision_for_one_desa_leaves_the_others_waiting(client, people, program):
    client.force_login(people.admin_a)
    program.tingkat_verifikasi = ["disnaker"]
    program.save()
    page = client.get(url(program)).content.decode()
    assert 'value="21.02.03.1001"' in page  # the desa filter lists desa with candidates waiting
    client.post(url(program) + "?desa=21.02.03.1001", semua(client, url(program) + "?desa=21.02.03.1001"))
    assert list(Candidate.objects.filter(status=CandidateStatus.TERVERIFIKASI).values_list("nama", flat=True)) == ["Siti Aminah"]
    assert Candidate.objects.filter(status=CandidateStatus.CALON).count() == 2


def test_the_queue_shows_level_and_nik_and_says_where_decided_candidates_went(client, people, program):
    """Issue 16: the queue hid where a candidate waits, and after a decision only "N calon diputuskan"."""
    client.force_login(people.verifier_a)
    Candidate.objects.update(level_index=1)  # every desa has decided: they wait for Dinas Sosial
    body = client.get(url(program)).content.decode()
    assert "Menunggu di tingkat" in body and "Dinas Sosial" in body
    some = Candidate.objects.order_by("pk").first()
    assert some.nik in body  # a full-NIK role sees the NIK it decides on
    response = client.post(url(program), semua(client, url(program)), follow=True)
    assert "3 calon diputuskan layak dan kini terverifikasi (tingkat terakhir)." in response.content.decode()


def test_a_level_with_nothing_waiting_says_where_the_others_are_and_offers_no_empty_filter(client, people, program):
    """Dinas Sosial while everyone still waits at the desa: no desa filter listing desa that have nothing for
    this level, and an empty table that says the others are still at an earlier level."""
    client.force_login(people.verifier_a)
    body = client.get(url(program)).content.decode()
    assert 'id="kosong"' in body and "tingkat sebelumnya" in body
    assert 'class="filters"' not in body
    client.force_login(people.desa_a)
    assert 'class="filters"' in client.get(url(program)).content.decode()  # the desa has candidates waiting


def test_the_candidates_page_says_why_they_are_tidak_layak(client, people, program):
    rudi = Candidate.objects.get(nama="Rudi Hartono")
    services.decide(candidate=rudi, version=rudi.version, decision="tidak_layak", user=people.desa_a,
                    reason="pindah", note="ke Batam sejak Agustus")
    client.force_login(people.operator_a)
    body = client.get(reverse("candidate_detail", args=[rudi.pk])).content.decode()
    status = body.split('id="status">')[1].split("</dd>")[0]
    assert "Tidak layak" in status and "ke Batam sejak Agustus" in status
