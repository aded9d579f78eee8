import io
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lindung.accounts.models import AuditEntry, Role
from lindung.privacy.breach import countdown, draft_authority_notice, draft_subject_notice
from lindung.privacy.models import Incident
from lindung.test import KAB_B, make_user

pytestmark = pytest.mark.django_db

UTC = dt_timezone.utc


def form_data(people, hours_ago=10, **changes):
    discovered = timezone.localtime() - timedelta(hours=hours_ago)
    data = {"judul": "Laptop operator hilang", "discovered_at": discovered.strftime("%Y-%m-%dT%H:%M"),
            "kejadian": "Laptop berisi berkas pengajuan BPJS hilang di kapal.", "kategori_data": "NIK, nama, tanggal lahir",
            "jumlah_terdampak": "", "nik_terdampak": "2102011708900001\n2102 0157 0890 0002\n",
            "programs": [people.program_a.pk], "penanganan": "Kata sandi akun diganti; BPJS diberi tahu."}
    data.update(changes)
    return data


def incident(people, hours_ago=10) -> Incident:
    made = Incident.objects.create(pemda_id="21.02", judul="Berkas terkirim ke alamat salah",
                                   discovered_at=timezone.now() - timedelta(hours=hours_ago), kejadian="Surel salah alamat.",
                                   kategori_data="NIK, nama", jumlah_terdampak=120, created_by=people.admin_a)
    made.programs.add(people.program_a)
    return made


def test_the_deadline_is_72_hours_after_discovery_in_the_local_zone(settings, people):
    made = incident(people)
    made.discovered_at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    clock = countdown(made, now=datetime(2026, 12, 3, 1, 30, tzinfo=UTC))
    assert (clock.hours, clock.minutes, clock.overdue) == (25, 30, False)
    assert clock.text == "Batas pemberitahuan 4 Desember 2026 pukul 10.00 WIB: sisa 25 jam 30 menit."
    settings.TIME_ZONE = "Asia/Makassar"
    assert "pukul 11.00 WITA" in countdown(made, now=datetime(2026, 12, 3, 1, 30, tzinfo=UTC)).text
    late = countdown(made, now=datetime(2026, 12, 4, 5, 15, tzinfo=UTC))
    assert late.overdue and late.text.endswith("TERLEWAT 2 jam 15 menit.")


def test_the_admin_records_an_incident_and_sees_the_countdown(client, people):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_incident_new"), form_data(people))
    made = Incident.objects.get()
    assert response.status_code == 302 and made.pemda_id == "21.02" and made.created_by == people.admin_a
    assert made.niks == ["2102011708900001", "2102015708900002"] and made.affected == 2
    body = client.get(reverse("privacy_incident", args=[made.pk])).content.decode()
    assert "sisa 61 jam" in body or "sisa 62 jam" in body
    assert "WIB" in body and 'class="card warning"' in body
    entry = AuditEntry.objects.get(model="privacy.incident", action="create")
    assert entry.user == people.admin_a and entry.new["nik_terdampak"] == 2  # a count, not the NIKs


def test_an_overdue_open_incident_is_shown_in_red(client, people):
    made = incident(people, hours_ago=80)
    client.force_login(people.auditor_a)
    body = client.get(reverse("privacy_incident", args=[made.pk])).content.decode()
    assert "TERLEWAT 8 jam" in body and 'class="card error"' in body
    assert "TERLEWAT" in client.get(reverse("privacy_incidents")).content.decode()


def test_bad_niks_and_a_missing_count_are_refused_in_indonesian(client, people):
    client.force_login(people.admin_a)
    body = client.post(reverse("privacy_incident_new"), form_data(people, nik_terdampak="2102011708900001\n12345")).content.decode()
    assert "periksa baris 2" in body
    body = client.post(reverse("privacy_incident_new"), form_data(people, nik_terdampak="")).content.decode()
    assert "Isi jumlah orang terdampak" in body
    future = (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    assert "masa depan" in client.post(reverse("privacy_incident_new"), form_data(people, discovered_at=future)).content.decode()
    assert not Incident.objects.exists()


def test_the_drafts_come_from_the_incident_fields(settings, people):
    settings.DPO_NAMA, settings.DPO_EMAIL = "Rina Marlina", "ppdp@karimunkab.go.id"
    made = incident(people)
    subject = draft_subject_notice(made, pemda="Kabupaten Karimun")
    assert "Surel salah alamat." in subject and "NIK, nama" in subject and people.program_a.nama in subject
    assert "Rina Marlina, ppdp@karimunkab.go.id" in subject and "Pasal 46" in subject
    authority = draft_authority_notice(made, pemda="Kabupaten Karimun")
    assert "Lembaga Penyelenggara Pelindungan Data Pribadi" in authority and "120 orang" in authority


def test_notices_are_edited_status_moves_and_every_step_is_audited(client, people):
    made = incident(people)
    client.force_login(people.admin_a)
    page = client.get(reverse("privacy_incident", args=[made.pk])).content.decode()
    assert "Surel salah alamat." in page  # the draft, ready to edit
    client.post(reverse("privacy_incident_notices", args=[made.pk]),
                {"notice_subjek": "Yth. peserta, data Anda terkirim ke alamat salah.", "notice_lembaga": "Kepada Yth. Lembaga PDP"})
    client.post(reverse("privacy_incident_status", args=[made.pk]), {"status": "diberitahukan"})
    made.refresh_from_db()
    assert made.notice_subjek.startswith("Yth. peserta") and made.status == "diberitahukan" and made.notified_at
    notes = list(AuditEntry.objects.filter(model="privacy.incident").values_list("note", flat=True))
    assert "pemberitahuan diubah" in notes and "status insiden" in notes
    status_entry = AuditEntry.objects.get(model="privacy.incident", note="status insiden")
    assert status_entry.old["status"] == "dibuka" and status_entry.new["status"] == "diberitahukan"
    body = client.get(reverse("privacy_incident", args=[made.pk])).content.decode()
    assert "Sudah diberitahukan" in body and 'class="card ok"' in body
    pdf = client.get(reverse("privacy_incident_pdf", args=[made.pk, "subjek"]))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "data Anda terkirim ke alamat salah" in text


def test_the_auditor_reads_but_does_not_write_and_other_pemdas_see_nothing(client, people):
    made = incident(people)
    client.force_login(people.auditor_a)
    assert client.get(reverse("privacy_incident", args=[made.pk])).status_code == 200
    assert client.post(reverse("privacy_incident_status", args=[made.pk]), {"status": "ditutup"}).status_code == 403
    assert client.get(reverse("privacy_incident_new")).status_code == 403
    client.force_login(make_user("admin.b", Role.ADMIN_DISNAKER, KAB_B))
    assert client.get(reverse("privacy_incident", args=[made.pk])).status_code == 404
    assert client.post(reverse("privacy_incident_status", args=[made.pk]), {"status": "ditutup"}).status_code == 404
    assert made.judul not in client.get(reverse("privacy_incidents")).content.decode()
    client.force_login(people.operator_a)
    assert client.get(reverse("privacy_incidents")).status_code == 403
    made.refresh_from_db()
    assert made.status == "dibuka"
