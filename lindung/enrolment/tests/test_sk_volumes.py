"""The SK of a large cohort in volumes (issue 18): numbering, totals, the zip, access, staleness, a killed job.

SK_JILID_BARIS is set to 3 so that eight seated people make three volumes (3 + 3 + 2)."""

import io
import re
from datetime import date, timedelta

import pyzipper
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lindung.accounts.models import AuditEntry
from lindung.enrolment import papers, services
from lindung.enrolment.models import Cohort, Enrolment, Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.lib import jobs
from lindung.privacy.tests.helpers import FILE_PASSWORD, PASSWORD_POST

NAMES = [f"Peserta {i}" for i in range(1, 9)]


@pytest.fixture
def eight(people, settings):
    """Kabupaten A's programme: nine verified, a pagu for eight seats over two months, list order."""
    settings.SK_JILID_BARIS = 3
    program = people.program_a
    program.pagu = 8 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(9))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    cohort.nomor_sk, cohort.tanggal_sk, cohort.penandatangan_nama = "560/8/DISNAKER/2025", date(2025, 10, 20), "Budi Santoso"
    cohort.save()
    return cohort


def _make(client, cohort):
    client.post(reverse("sk_make", args=[cohort.program.slug]))
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    cohort.refresh_from_db()


def _texts(zipped: bytes) -> dict[str, str]:
    """Each volume's text, by its name in the zip (which needs the downloader's password)."""
    out = {}
    with pyzipper.AESZipFile(io.BytesIO(zipped)) as archive:
        archive.setpassword(FILE_PASSWORD.encode())
        for name in archive.namelist():
            reader = PdfReader(io.BytesIO(archive.read(name)))
            out[name] = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return out


@pytest.mark.django_db(transaction=True)
def test_eight_people_in_volumes_of_three_make_three_numbered_volumes_with_the_totals(client, people, eight):
    client.force_login(people.admin_a)
    _make(client, eight)
    assert len(eight.sk_files) == 3 and eight.sk_jilid_selesai == eight.sk_jilid_total == 3
    page = client.get(reverse("cohort", args=[eight.program.slug])).content.decode()
    assert "zip berisi 3 jilid PDF" in page
    response = client.post(reverse("sk_download", args=[eight.program.slug, "pdf"]), PASSWORD_POST)
    assert response["Content-Type"] == "application/zip"
    assert 'filename="sk-penetapan-' in response["Content-Disposition"]
    texts = _texts(b"".join(response.streaming_content))
    export = AuditEntry.objects.get(action=AuditEntry.Action.EXPORT_NIK, user=people.admin_a)
    assert export.rows == 8 and "3 jilid" in export.note and "terenkripsi" in export.note
    slug = eight.program.slug
    assert sorted(texts) == [f"sk-penetapan-{slug}-jilid-{i:03d}-dari-003.pdf" for i in (1, 2, 3)]
    one, two, three = (texts[name] for name in sorted(texts))
    # The decree once, in volume 1, stating the whole cohort: 8 people, 8 × 2 × Rp16.800.
    assert "MEMUTUSKAN" in one and "MEMUTUSKAN" not in two + three
    assert "sebanyak 8 (delapan) orang" in one and "Rp268.800 (Dua ratus enam puluh delapan ribu delapan ratus rupiah)" in one
    assert "JILID 1 DARI 3, NOMOR URUT 1–3" in one and "JILID 2 DARI 3, NOMOR URUT 4–6" in two
    assert "JILID 3 DARI 3, NOMOR URUT 7–8" in three
    assert "Lampiran Jilid 2 dari 3 — Halaman 1 dari" in two
    assert "daftar berlanjut pada Jilid 2 dari 3 (nomor urut 4)" in one
    # Each person exactly once, numbered across volumes; the waiting ninth in none.
    for volume, numbers in ((one, (1, 2, 3)), (two, (4, 5, 6)), (three, (7, 8))):
        for n in numbers:
            assert re.search(rf"\b{n} \d{{16}} Peserta {n}\b", volume)
    assert all(sum(text.count(f"Peserta {n} ") for text in texts.values()) == 1 for n in range(1, 9))
    assert "Peserta 9" not in " ".join(texts.values())
    # The totals and the signature close the last volume only.
    assert "Jumlah penerima : 8 orang" in three and "Jumlah iuran : Rp268.800" in three
    assert "Jumlah penerima :" not in two and "Ditetapkan di" not in two


@pytest.mark.django_db(transaction=True)
def test_a_cohort_smaller_than_a_volume_is_one_pdf_as_before(client, people, eight, settings):
    settings.SK_JILID_BARIS = 5000
    client.force_login(people.admin_a)
    _make(client, eight)
    assert eight.sk_jilid == [] and len(eight.sk_files) == 1
    response = client.post(reverse("sk_download", args=[eight.program.slug, "pdf"]), PASSWORD_POST)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.is_encrypted and reader.decrypt(FILE_PASSWORD)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Jilid" not in text and "JILID" not in text
    assert "sebanyak 8 (delapan) orang" in text and "Jumlah penerima : 8 orang" in text


@pytest.mark.django_db(transaction=True)
def test_masked_roles_get_no_volume_and_the_outsider_no_sk(client, people, eight):
    """The SK names full NIKs: only the Disnaker downloads it (encrypted); every masked role is refused
    the zip as it was refused the single PDF, and another pemda's user does not find the programme."""
    client.force_login(people.admin_a)
    _make(client, eight)
    url = reverse("sk_download", args=[eight.program.slug, "pdf"])
    for masked in (people.bpkad_a, people.auditor_a, people.desa_a):
        client.force_login(masked)
        assert client.post(url, PASSWORD_POST).status_code == 403
    client.force_login(people.outsider)
    assert client.post(url, PASSWORD_POST).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_volumes_keep_full_niks_and_no_role_but_the_disnaker_reaches_them(client, people, eight):
    """The decision (README, SK penetapan): the SK is the legal decree naming each beneficiary by NIK for
    BPJS, so its volumes carry full NIKs, as the single PDF does, and no masked copy is made. Only the
    pemda's Disnaker (a full-NIK role) reaches them, encrypted and logged; every other role — the masked
    BPKAD and auditor, and the full-NIK Dinas Sosial and desa operator, who do not issue the SK — is refused
    the zip, its progress and its making, and their cohort page offers no link to it."""
    client.force_login(people.admin_a)
    _make(client, eight)
    slug = eight.program.slug
    response = client.post(reverse("sk_download", args=[slug, "pdf"]), PASSWORD_POST)
    niks = set(Enrolment.objects.filter(cohort=eight, state=Enrolment.State.SEATED).values_list("candidate__nik", flat=True))
    text = " ".join(_texts(b"".join(response.streaming_content)).values())
    assert len(niks) == 8 and all(nik in text for nik in niks)  # full, by design
    made = eight.sk_files
    for other in (people.bpkad_a, people.auditor_a, people.verifier_a, people.desa_a):
        client.force_login(other)
        for url in (reverse("sk_download", args=[slug, "pdf"]), reverse("sk_status", args=[slug])):
            assert client.get(url).status_code == 403
        assert client.post(reverse("sk_download", args=[slug, "pdf"]), PASSWORD_POST).status_code == 403
        assert client.post(reverse("sk_make", args=[slug])).status_code == 403
        page = client.get(reverse("cohort", args=[slug]))
        if page.status_code == 200:  # a desa operator may not see the cohort page at all
            assert reverse("sk_download", args=[slug, "pdf"]) not in page.content.decode()
    eight.refresh_from_db()
    assert eight.sk_files == made  # nobody else made or dropped it
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT_NIK).exclude(user=people.admin_a).count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_change_to_the_seats_drops_every_stored_volume(client, people, eight):
    client.force_login(people.admin_a)
    _make(client, eight)
    names = eight.sk_files
    assert all(default_storage.exists(name) for name in names)
    services.release(eight.seated.first(), user=people.admin_a, reason="Meninggal")
    eight.refresh_from_db()
    assert eight.sk_files == [] and not any(default_storage.exists(name) for name in names)


def test_a_job_overtaken_by_a_change_keeps_nothing(people, eight):
    """The seats change while volume 1 is rendered: the volumes made so far are deleted, nothing is kept."""
    def change(done, total):
        if done == 1:
            Cohort.objects.get(pk=eight.pk).forget_sk()

    assert papers.make_sk_pdf(eight, on_volume=change) is False
    eight.refresh_from_db()
    _, files = default_storage.listdir("sk")
    assert eight.sk_files == [] and not [name for name in files if name.startswith(papers.file_prefix(eight))]


@pytest.mark.django_db(transaction=True)
def test_a_killed_job_is_recovered_and_the_next_one_sweeps_its_volumes(client, people, eight):
    # A worker killed after storing volume 1 of 3: its file stays, nothing names it, the heartbeat stops.
    leftover = default_storage.save(f"sk/{papers.file_prefix(eight)}penetapan-x-r0-jilid-001-dari-003.pdf",
                                    ContentFile(b"%PDF-1.7 partial"))
    other = default_storage.save("sk/sk-99-penetapan-lain-r0.pdf", ContentFile(b"%PDF-1.7 other cohort"))
    Cohort.objects.filter(pk=eight.pk).update(sk_pending=True, sk_jilid_total=3, sk_jilid_selesai=1,
                                              sk_heartbeat_at=timezone.now() - timedelta(minutes=10))
    client.force_login(people.admin_a)
    page = client.get(reverse("cohort", args=[eight.program.slug])).content.decode()
    assert jobs.STOPPED_MESSAGE in page and "SK sedang dibuat" not in page
    _make(client, eight)
    assert len(eight.sk_files) == 3 and not eight.sk_pending
    assert not default_storage.exists(leftover) and default_storage.exists(other)


def test_the_status_reports_volumes_done(client, people, eight):
    Cohort.objects.filter(pk=eight.pk).update(sk_pending=True, sk_jilid_total=3, sk_jilid_selesai=1,
                                              sk_heartbeat_at=timezone.now())
    client.force_login(people.admin_a)
    status = client.get(reverse("sk_status", args=[eight.program.slug])).json()
    assert status == {"running": True, "progress": 33, "label": "SK sedang dibuat", "text": "jilid 1 dari 3 selesai"}
    page = client.get(reverse("cohort", args=[eight.program.slug])).content.decode()
    assert "SK sedang dibuat — jilid 1 dari 3 selesai" in page and '<progress max="100" value="33">' in page


def test_the_count_and_total_come_from_the_database_not_from_a_list(people, eight, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        header = papers.sk_header(eight)
    assert header.jumlah == 8 and header.total_iuran == 8 * 2 * 16_800 and header.peserta == ()
    people_read = list(papers.seated_people(eight, size=3))
    assert [p.nama for p in people_read] == NAMES
    assert Enrolment.objects.filter(cohort=eight, state=Enrolment.State.WAITING).count() == 1


def test_volumes_laid_out_by_two_processes_are_the_same_volumes(people, eight):
    assert papers.make_sk_pdf(eight, processes=2) is True
    eight.refresh_from_db()
    texts = []
    for name in eight.sk_files:
        with default_storage.open(name, "rb") as handle:
            reader = PdfReader(io.BytesIO(handle.read()))
        texts.append(" ".join(" ".join(page.extract_text() for page in reader.pages).split()))
    assert [("JILID 1 DARI 3" in t, "JILID 2 DARI 3" in t, "JILID 3 DARI 3" in t) for t in texts] == [
        (True, False, False), (False, True, False), (False, False, True)]
    assert re.search(r"\b4 \d{16} Peserta 4\b", texts[1]) and "Jumlah penerima : 8 orang" in texts[2]
