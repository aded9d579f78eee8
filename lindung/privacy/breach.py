"""Breach workflow (UU 27/2022 Pasal 46): the 3 × 24-hour countdown and the drafted notices.

Notice drafts are plain text built from the incident's fields; the Disnaker admin edits them before
sending. Times are shown in the pemda's zone (settings.TIME_ZONE: WIB, WITA or WIT).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from lindung.lib.format import format_date
from lindung.privacy.models import Incident
from lindung.reports.pdf import render_pdf


@dataclass(frozen=True)
class Countdown:
    deadline: datetime  # local time
    hours: int  # whole hours left (or overdue by, when overdue)
    minutes: int
    overdue: bool
    settled: bool  # notices sent or incident closed: the clock no longer matters

    @property
    def text(self) -> str:
        when = f"{format_date(self.deadline.date())} pukul {self.deadline:%H.%M} {self.deadline.tzname()}"
        if self.settled:
            return f"Batas pemberitahuan {when}."
        if self.overdue:
            return f"Batas pemberitahuan {when} TERLEWAT {self.hours} jam {self.minutes} menit."
        return f"Batas pemberitahuan {when}: sisa {self.hours} jam {self.minutes} menit."


def countdown(incident: Incident, now: datetime) -> Countdown:
    left = incident.deadline - now
    seconds = abs(int(left.total_seconds()))
    return Countdown(deadline=timezone.localtime(incident.deadline), hours=seconds // 3600, minutes=seconds % 3600 // 60,
                     overdue=left.total_seconds() < 0, settled=incident.status != Incident.Status.DIBUKA)


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{format_date(local.date())} pukul {local:%H.%M} {local.tzname()}"


def _dpo() -> str:
    parts = [settings.DPO_NAMA or "Pejabat Pelindungan Data Pribadi", settings.DPO_EMAIL, settings.DPO_TELEPON]
    return ", ".join(part for part in parts if part)


def _programs(incident: Incident) -> str:
    names = [program.nama for program in incident.programs.all()]
    return ", ".join(names) if names else "program perlindungan pekerja rentan"


def draft_subject_notice(incident: Incident, *, pemda: str) -> str:
    return "\n\n".join([
        "PEMBERITAHUAN KEGAGALAN PELINDUNGAN DATA PRIBADI",
        f"Yth. Bapak/Ibu yang terdaftar dalam {_programs(incident)},",
        f"Pada {_when(incident.discovered_at)}, {pemda} mengetahui telah terjadi kegagalan pelindungan data pribadi "
        f"yang mungkin menyangkut data Bapak/Ibu. {incident.kejadian.strip()}",
        f"Data pribadi yang terungkap: {incident.kategori_data.strip()}.",
        f"Langkah yang telah dan akan kami lakukan: {incident.penanganan.strip() or 'sedang kami susun dan akan kami sampaikan.'}",
        "Yang dapat Bapak/Ibu lakukan: waspadai telepon, pesan atau tautan yang meminta data pribadi, kode OTP atau "
        "uang atas nama program ini atau BPJS Ketenagakerjaan; petugas kami tidak pernah memintanya. Perlindungan "
        "BPJS Ketenagakerjaan Bapak/Ibu tetap berlaku.",
        f"Pertanyaan dapat disampaikan kepada Pejabat Pelindungan Data Pribadi: {_dpo()}.",
        f"Pemberitahuan ini disampaikan menurut Pasal 46 Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi.\n{pemda}",
    ])


def draft_authority_notice(incident: Incident, *, pemda: str) -> str:
    return "\n\n".join([
        "Kepada Yth.\nKepala Lembaga Penyelenggara Pelindungan Data Pribadi",
        "Perihal: Pemberitahuan kegagalan pelindungan data pribadi (Pasal 46 UU 27/2022)",
        f"Pengendali data pribadi: {pemda} (Dinas Tenaga Kerja), sistem lindung untuk pendaftaran pekerja rentan "
        "sebagai peserta BPJS Ketenagakerjaan yang iurannya dibayar APBD.",
        f"1. Waktu diketahui: {_when(incident.discovered_at)}.",
        f"2. Uraian kejadian (kapan dan bagaimana): {incident.kejadian.strip()}",
        f"3. Data pribadi yang terungkap: {incident.kategori_data.strip()}.",
        f"4. Subjek data terdampak: {incident.affected} orang; program: {_programs(incident)}.",
        f"5. Penanganan dan pemulihan: {incident.penanganan.strip() or 'sedang disusun.'}",
        "6. Pemberitahuan kepada subjek data: disampaikan bersamaan dengan surat ini.",
        f"Narahubung: {_dpo()}.",
        f"{pemda}",
    ])


DRAFTS = {"subjek": ("notice_subjek", draft_subject_notice), "lembaga": ("notice_lembaga", draft_authority_notice)}


def notice_pdf(*, title: str, text: str) -> bytes:
    html = render_to_string("privacy/notice_pdf.html", {"title": title, "text": text})
    return render_pdf(html)
