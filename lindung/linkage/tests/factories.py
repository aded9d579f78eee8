"""People written down twice, the way desa lists and the BPJS branch really differ, loaded through the real
import and roster code. The matching engine itself is never replaced: tests run it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.imports import roster
from lindung.imports import services as import_services
from lindung.imports.models import Candidate
from lindung.imports.tests.test_flow import upload, xlsx_bytes
from lindung.linkage import services
from lindung.linkage.models import MatchRun
from lindung.verification import services as verification
from lindung.verification.models import Decision

MORO = "21.02.01.1003"  # Kelurahan Moro (the desa of the desa_a persona)
PAUH = "21.02.01.2004"  # Desa Pauh (desa_a2)
KARIMUN = "21.02.03.1001"


@dataclass(frozen=True)
class Row:
    nik: str
    nama: str
    lahir: date
    jk: str
    desa: str
    pekerjaan: str = "Nelayan"
    hp: str = ""
    ibu: str = ""

    def cells(self) -> list:
        return [self.nik, self.nama, self.lahir, self.jk, self.desa, self.pekerjaan, self.hp, self.ibu]

    def but(self, **changes) -> Row:
        return replace(self, **changes)


BUDI = Row("2102011708900001", "Budi Santoso", date(1990, 8, 17), "L", MORO, hp="0812 7000 1111", ibu="Suminah")
YUSUF = Row("2102011203850004", "Muhammad Yusuf", date(1985, 3, 12), "L", MORO, hp="0813 6400 2211", ibu="Halimah")
SITI = Row("2102015505880002", "Siti Rahmawati", date(1988, 5, 15), "P", PAUH, pekerjaan="Pedagang kecil",
           hp="0852 6611 0303", ibu="Kalsum")
# Unrelated neighbours: what makes a list a list, and gives the engine its background.
OTHERS = [
    Row("2102012002800003", "Rudi Hartono", date(1980, 2, 20), "L", MORO, ibu="Suminah"),
    Row("2102016107920005", "Nurhayati", date(1992, 7, 21), "P", PAUH, pekerjaan="Pedagang kecil", ibu="Aisyah"),
    Row("2102030101750006", "Hasan Basri", date(1975, 1, 1), "L", KARIMUN, hp="0821 7000 9999", ibu="Maimunah"),
    Row("2102034402950007", "Dewi Lestari", date(1995, 2, 4), "P", KARIMUN, pekerjaan="Pedagang kecil", ibu="Sapiah"),
    Row("2102032309700008", "Zulkifli", date(1970, 9, 23), "L", KARIMUN, ibu="Zainab"),
]


def load(program, user, rows: list[Row]) -> list[Candidate]:
    """Import and commit the rows as the user's upload would; returns the candidates in row order."""
    batch = upload(program, user, xlsx_bytes([r.cells() for r in rows]))
    import_services.commit(batch, user=user)
    by_nik = {c.nik: c for c in Candidate.objects.filter(program=program)}
    return [by_nik[r.nik] for r in rows]


def verify_all(program, user) -> None:
    """One level (Disnaker), everyone layak."""
    program.tingkat_verifikasi = ["disnaker"]
    program.save()
    verification.decide_bulk(candidates=verification.pending_for(user, program), decision=Decision.LAYAK, user=user)


def load_roster(pemda, user, lines: list[str]):
    body = "\n".join(["NIK;Nama;Tanggal Lahir;No. KPJ;Segmen", *lines]) + "\n"
    return roster.load_roster(pemda=pemda, user=user, upload=SimpleUploadedFile("peserta-bpjs.csv", body.encode()))


def run(user=None) -> MatchRun:
    """A run through the real engine, in this process."""
    return services.run_matching(MatchRun.objects.create(started_by=user))
