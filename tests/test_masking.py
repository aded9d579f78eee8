"""Masked NIKs cannot be put back together (issue 11, item 1).

BPKAD and the auditor see NIKs masked. The old mask hid only the birth-date digits while the page beside it
printed the birth date and sex, so nearly every NIK was rebuilt. Here each masked role crawls every page and
file it can reach — programme, candidate list and search, candidate detail with its change history, imports
and their preview, verification, penetapan, matching pages, pair cards, duplicates, downloads — and no full
NIK, No. KK, birth date (day and month) or mother's name of any candidate may appear anywhere. A full-NIK
role crawls too: records of another area (the other side of a matching pair) must be just as masked.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from lindung.domain.nik import parse_nik
from lindung.domain.periods import MONTH_NAMES_ID
from lindung.enrolment import services as enrolment
from lindung.imports import roster
from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import upload, xlsx_bytes
from lindung.imports import services as import_services
from lindung.linkage import duplicates as dup
from lindung.linkage import services as linkage
from lindung.linkage.models import MatchPair, MatchRun
from lindung.registry.models import BpjsParticipant
from lindung.verification import services as verification
from lindung.verification.models import Decision

from django.core.files.uploadedfile import SimpleUploadedFile

HEADERS = ["NIK", "Nama Lengkap", "Tanggal Lahir", "Jenis Kelamin", "Kode Desa/Kelurahan", "Pekerjaan",
           "Nama Ibu Kandung", "No. KK"]
MORO = "21.02.01.1003"
PETUNG = "64.09.01.1003"


@dataclass(frozen=True)
class Person:
    nik: str
    nama: str
    lahir: date
    jk: str
    desa: str
    ibu: str
    kk: str

    def cells(self, **changes) -> list:
        values = {"ibu": self.ibu, "kk": self.kk, **changes}
        return [self.nik, self.nama, self.lahir, self.jk, self.desa, "Nelayan", values["ibu"], values["kk"]]


BUDI = Person("2102011908900001", "Budi Santoso", date(1990, 8, 19), "L", MORO, "Maisarah Dollah", "2102011203150007")
BUDI_TYPO = Person("2102011908900010", "Budi Santoso", date(1990, 8, 19), "L", MORO, "Maisarah Dollah", "2102011203150007")
# The list's birth date differs from the NIK's: the warning quotes both dates.
SITI = Person("2102015505880002", "Siti Rahmawati", date(1988, 5, 16), "P", MORO, "Kalsum Jamilah", "2102010404100003")
HASAN = Person("2102030101750006", "Hasan Basri", date(1975, 1, 3), "L", MORO, "Maimunah Latif", "2102031109120004")
# Only in an upload that was previewed and never accepted.
RUDI = Person("2102012002800003", "Rudi Hartono", date(1980, 2, 20), "L", MORO, "Zainab Umar", "2102012808140005")
# Another kabupaten's candidate: the other side of a cross-programme pair.
WATI = Person("6409016512870003", "Wati Sulastri", date(1987, 12, 25), "P", PETUNG, "Saodah Kasim", "6409012207110006")
KARIMUN_PEOPLE = [BUDI, BUDI_TYPO, SITI, HASAN, RUDI]
NEW_KK = "2102011203150099"


def _commit(program, user, rows, name="daftar.xlsx") -> ImportBatch:
    batch = upload(program, user, xlsx_bytes(rows, HEADERS), name=name)
    import_services.commit(batch, user=user)
    return batch


@pytest.fixture
def world(people):
    """Two kabupaten with every kind of page filled: imports (accepted and in preview), a changed KK and
    mother's name in the change history, a birth-date warning, verification, a cohort, a BPJS roster,
    matching pairs of all three kinds (one decided), and a duplicate set aside."""
    a, b = people.program_a, people.program_b
    a.tingkat_verifikasi = ["disnaker"]
    a.save()
    _commit(a, people.admin_a, [p.cells() for p in (BUDI, BUDI_TYPO, SITI, HASAN)])
    _commit(a, people.admin_a, [BUDI.cells(kk=NEW_KK, ibu="Maisarah binti Dollah")], name="koreksi.xlsx")
    upload(a, people.desa_a, xlsx_bytes([RUDI.cells()], HEADERS), name="susulan.xlsx")  # preview only
    _commit(b, people.outsider, [WATI.cells()])
    by_nik = {c.nik: c for c in Candidate.objects.all()}
    roster.load_roster(pemda=people.program_a.pemda, user=people.admin_a, upload=SimpleUploadedFile(
        "peserta.csv", f"NIK;Nama;Tanggal Lahir;No. KPJ;Segmen\n{HASAN.nik};Hasan Basri;03/01/1975;12345678901;PU\n".encode()))
    run = MatchRun.objects.create(started_by=people.admin_a, status=MatchRun.Status.DONE)
    MatchPair.objects.create(kind=MatchPair.Kind.DUPLIKAT, left=by_nik[BUDI.nik], right=by_nik[BUDI_TYPO.nik], score=0.97,
                             band=MatchPair.Band.MATCH, status=MatchPair.Status.AUTO, run=run,
                             evidence={"nik": "nomor_urut", "nama": "sama", "tanggal_lahir": "sama"})
    lintas = MatchPair.objects.create(kind=MatchPair.Kind.LINTAS, left=by_nik[SITI.nik], right=by_nik[WATI.nik], score=0.4,
                                      band=MatchPair.Band.POSSIBLE, run=run, evidence={"nama": "beda"})
    MatchPair.objects.create(kind=MatchPair.Kind.BPJS, left=by_nik[HASAN.nik], score=0.99, band=MatchPair.Band.MATCH,
                             participant=BpjsParticipant.objects.get(nik=HASAN.nik), status=MatchPair.Status.AUTO,
                             run=run, evidence={"nik": "sama"})
    linkage.decide_pair(lintas, version=lintas.version, decision="berbeda", alasan="dicek ke KK", user=people.admin_a)
    dup.keep_one(kept=by_nik[BUDI.nik], others=[by_nik[BUDI_TYPO.nik]], user=people.admin_a)
    verification.decide_bulk(candidates=verification.pending_for(people.admin_a, a), decision=Decision.LAYAK,
                             user=people.admin_a)
    enrolment.form_cohort(program=a, user=people.admin_a)
    return people


def _secrets(person: Person) -> set[str]:
    """Every way a page or file could write what rebuilds the NIK: the NIK and KK in any grouping, the
    birth date (recorded and as the NIK encodes it) with its day and month, and the mother's name."""
    days = {person.lahir, parse_nik(person.nik).tanggal_lahir}
    found = {person.nik, _grouped(person.nik), person.kk, _grouped(person.kk), person.ibu}
    if person is BUDI:  # the corrected KK and mother's name of the second upload
        found |= {NEW_KK, _grouped(NEW_KK), "binti Dollah"}
    for d in days:
        found |= {d.isoformat(), f"{d:%d-%m-%Y}", f"{d:%d/%m/%Y}", f"{d.day} {MONTH_NAMES_ID[d.month - 1]} {d.year}"}
    return found


def _grouped(digits: str) -> str:
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4))


LINK = re.compile(r'(?:href|data-status-url)="([^"#]*)"')
SKIP = ("/admin/", "/keluar/", "/static/", "/logout")


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body[:2] == b"PK":  # xlsx: every part of the zip
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())
    if body.startswith(b"%PDF"):  # a PDF for a masked view (the BPKAD's bill): its text
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        assert not reader.is_encrypted, f"{response.request['PATH_INFO']}: an encrypted file for a masked view"
        return "\n".join(page.extract_text() for page in reader.pages)
    return body.decode("utf-8", "replace")


def _seeds() -> list[str]:
    """Every URL of every object in the database, reachable or not: scoping must hold off the menu too."""
    urls = ["/", reverse("program_list"), reverse("matching"), reverse("match_review"), reverse("bpjs_roster")]
    for status in ("semua", "terbuka", "otomatis", "sama", "berbeda"):
        urls.append(f"{reverse('match_review')}?status={status}")
    for c in Candidate.objects.all():
        urls.append(reverse("candidate_detail", args=[c.pk]))
        slug = c.program.slug
        urls.append(f"{reverse('candidate_list', args=[slug])}?q={c.nama}")
    for slug in Candidate.objects.values_list("program__slug", flat=True).distinct():
        urls += [reverse(name, args=[slug]) for name in ("program_detail", "candidate_list", "verification_queue",
                                                           "cohort", "duplicates", "program_template")]
        urls += [reverse("sk_download", args=[slug, fmt]) for fmt in ("pdf", "xlsx")]
        urls += [f"{reverse('cohort', args=[slug])}?status={s}" for s in ("kursi", "tunggu", "konflik", "keluar")]
    for batch in ImportBatch.objects.all():
        urls += [reverse("batch_detail", args=[batch.pk]), reverse("batch_errors", args=[batch.pk]),
                 reverse("batch_status", args=[batch.pk])]
    urls += [reverse("match_pair", args=[pk]) for pk in MatchPair.objects.values_list("pk", flat=True)]
    urls += [reverse("matching_status", args=[pk]) for pk in MatchRun.objects.values_list("pk", flat=True)]
    return urls


def crawl(client, user, limit: int = 400, responses: dict | None = None) -> dict[str, str]:
    """GET every page reachable from the seeds and their links; returns path -> text of each 200 answer
    (and fills `responses`, path -> response, when given)."""
    client.force_login(user)
    queue, seen, pages = deque(_seeds()), set(), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if responses is not None:
            responses[url] = response
        if response.status_code != 200:
            continue
        text = _text(response)
        pages[url] = text
        if "html" in response.get("Content-Type", ""):
            for link in LINK.findall(text):
                link = urljoin(url, link.replace("&amp;", "&"))
                parts = urlsplit(link)
                if not parts.netloc or parts.netloc == "testserver":
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


def _leaks(pages: dict[str, str], people: list[Person]) -> list[tuple[str, str, str]]:
    return [(url, person.nama, secret) for url, text in pages.items() for person in people
            for secret in _secrets(person) if secret in text]


@pytest.mark.parametrize("role", ["bpkad_a", "auditor_a"])
def test_a_masked_role_sees_nothing_that_rebuilds_a_nik(world, client, role):
    pages = crawl(client, getattr(world, role))
    # The crawl reached the pages that show people, so the assertion below is about something.
    assert any("/calon/" in url and url.rstrip("/").split("/")[-1].isdigit() for url in pages)
    assert any(url.startswith("/pencocokan/pasangan/") for url in pages)
    assert any("/penetapan/" in url for url in pages) and any(url.startswith("/impor/") for url in pages)
    assert _leaks(pages, [*KARIMUN_PEOPLE, WATI]) == []
    joined = "\n".join(pages.values())
    assert "2102 01•• •••• ••••" in joined and "tahun 1990" in joined  # region and birth year still shown
    # Searching by a full NIK would tell whether that person is listed: not for a masked role.
    body = client.get(reverse("candidate_list", args=["prog-a"]), {"q": BUDI.nik}).content.decode()
    assert "Tidak ada calon peserta yang cocok" in body


def test_a_full_nik_role_sees_another_areas_record_masked(world, client):
    pages = crawl(client, world.admin_a)
    assert _leaks(pages, [WATI]) == []
    joined = "\n".join(pages.values())
    assert BUDI.nik in joined and "19 Agustus 1990" in joined  # its own area: in full
    assert "6409 01•• •••• ••••" in joined  # the cross-programme pair's other side was on a page


def test_the_change_history_masks_kk_and_mother_for_masked_roles(world, client):
    budi = Candidate.objects.get(nik=BUDI.nik)
    client.force_login(world.auditor_a)
    body = client.get(reverse("candidate_detail", args=[budi.pk])).content.decode()
    assert "No. KK: 2102 01•• •••• ••••" in body and "nama ibu: (disembunyikan)" in body
    assert NEW_KK not in body and BUDI.kk not in body
    client.force_login(world.admin_a)
    body = client.get(reverse("candidate_detail", args=[budi.pk])).content.decode()
    assert f"No. KK: {BUDI.kk}" in body and f"No. KK: {NEW_KK}" in body


def test_phone_numbers_are_masked_for_the_roles_that_get_masked_niks(world, client):
    """No. HP is personal data (UU PDP) as the NIK is: the same Disclosure masks it on the candidate page
    and on the pair under review, keeping only its last three digits."""
    Candidate.objects.filter(nik__in=[BUDI.nik, BUDI_TYPO.nik]).update(no_hp="081270001111")
    budi = Candidate.objects.get(nik=BUDI.nik)
    pair = MatchPair.objects.get(kind=MatchPair.Kind.DUPLIKAT)
    urls = [reverse("candidate_detail", args=[budi.pk]), reverse("match_pair", args=[pair.pk])]
    for role in ("bpkad_a", "auditor_a"):
        client.force_login(getattr(world, role))
        for url in urls:
            body = client.get(url).content.decode()
            assert "081270001111" not in body and "•••• •••• •111" in body, (role, url)
    client.force_login(world.admin_a)
    assert all("081270001111" in client.get(url).content.decode() for url in urls)
