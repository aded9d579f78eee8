"""The SK penetapan penerima and its lampiran for a cohort: the seated people only, numbered (R18).

A province seats hundreds of thousands: the PDF is made in volumes (jilid) of SK_JILID_BARIS people, each
read from the database a keyset page at a time, rendered, and stored before the next one is read, so the
job's memory is one volume's whatever the cohort's size. The count and the total come from SQL aggregates.
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Count
from django.utils import timezone

from lindung.domain.pekerjaan import label_of
from lindung.domain.periods import Month
from lindung.enrolment.models import Cohort
from lindung.lib import keyset
from lindung.reports.pdf import render_pdf
from lindung.reports.sk import (SkData, SkError, SkJilid, SkPerson, lampiran_xlsx, sk_html, sk_pdf,
                                write_lampiran_xlsx)

ROW_FIELDS = ("urutan", "pk", "candidate__nik", "candidate__nama", "candidate__tanggal_lahir",
              "candidate__jenis_kelamin", "candidate__desa__nama", "candidate__desa__induk__nama",
              "candidate__pekerjaan")
ORDER = ["urutan", "pk"]  # the index enrolment_page_order (cohort, state, urutan, id) walks it
PAGE = 2000  # people read per query by seated_people


def seated_page(cohort: Cohort, *, after: tuple | None, size: int) -> tuple[list[SkPerson], tuple | None]:
    """Up to `size` seated people after the keyset cursor `after` (urutan, pk), and the cursor of the last."""
    rows = cohort.seated
    if after is not None:
        rows = rows.filter(keyset.after(ORDER, after))
    page = list(rows.order_by(*ORDER).values_list(*ROW_FIELDS)[:size])
    people = [SkPerson(nik=nik, nama=nama, tanggal_lahir=lahir, jenis_kelamin=jk, desa=desa,
                       kecamatan=kecamatan or "", pekerjaan=label_of(pekerjaan))
              for _, _, nik, nama, lahir, jk, desa, kecamatan, pekerjaan in page]
    return people, (page[-1][:2] if page else None)


def seated_people(cohort: Cohort, *, size: int = PAGE) -> Iterator[SkPerson]:
    """Every seated person in the SK's order, read a page at a time (never the whole cohort at once)."""
    cursor = None
    while True:
        people, cursor = seated_page(cohort, after=cursor, size=size)
        yield from people
        if len(people) < size:
            return


def sk_header(cohort: Cohort) -> SkData:
    """Everything of the decree but its list: the count and the total from aggregates, no person loaded."""
    program = cohort.program
    window = cohort.window
    jumlah, total = _count_and_total(cohort)
    return SkData(
        pemda=program.pemda.nama, program=program.nama, nomor_sk=cohort.nomor_sk or "…",
        tanggal_sk=cohort.tanggal_sk or timezone.localdate(), tempat=cohort.tempat_sk or program.pemda.nama,
        sumber_dana=program.get_sumber_dana_display(), pks_nomor=program.pks_nomor, pks_tanggal=program.pks_tanggal,
        mulai=cohort.mulai, selesai=window.end_date, bulan=cohort.bulan,
        iuran_per_orang_per_bulan=cohort.iuran_per_bulan, total_iuran=total,
        aturan=tuple(cohort.aturan), kode_kepesertaan=program.kode_kepesertaan,
        penandatangan_jabatan=cohort.penandatangan_jabatan or "Kepala Dinas Tenaga Kerja", penandatangan_nama=cohort.penandatangan_nama or "…",
        peserta=(), catatan=tuple(note for note in cohort.catatan if not _internal(note)), jumlah_peserta=jumlah)


def sk_data(cohort: Cohort) -> SkData:
    """The decree with its whole list in memory (the tests and a kabupaten's sizes; the PDF job uses volumes)."""
    return dataclasses.replace(sk_header(cohort), peserta=tuple(seated_people(cohort)), jumlah_peserta=None)


def _internal(note: str) -> bool:
    """How BPJS counts a participant in its own targets (KPI) is for the Disnaker's page, not for the decree."""
    return "KPI" in note or "proporsional" in note


def _count_and_total(cohort: Cohort) -> tuple[int, int]:
    """The listed people and their iuran over their own months: a replacement or an APBD-P seat from its
    first month. One row per distinct start month, however many people."""
    from lindung.enrolment.services import seat_cost

    jumlah = total = 0
    for mulai, n in cohort.seated.order_by().values("mulai").annotate(n=Count("pk")).values_list("mulai", "n"):
        jumlah += n
        total += n * (cohort.iuran_per_orang if mulai is None else seat_cost(cohort, Month.of(mulai)))
    return jumlah, total


def _check_unique(cohort: Cohort) -> None:
    """A NIK seated twice would be listed twice (sk.check does this for a list held in memory)."""
    twice = (cohort.seated.order_by().values("candidate__nik").annotate(n=Count("pk")).filter(n__gt=1)
             .values_list("candidate__nik", flat=True)[:1])
    for nik in twice:
        raise SkError(f"NIK {nik} tercantum dua kali dalam daftar yang mendapat kursi.")


def volumes(cohort: Cohort, header: SkData, size: int) -> Iterator[SkJilid]:
    """The lampiran in volumes of `size` people, each read with one keyset query when it is needed."""
    dari = max(1, math.ceil(header.jumlah / size))
    cursor, awal = None, 1
    for nomor in range(1, dari + 1):
        people, cursor = seated_page(cohort, after=cursor, size=size)
        if not people:
            raise SkError("Daftar yang mendapat kursi berubah selama SK dibuat; silakan buat ulang.")
        yield SkJilid(nomor=nomor, dari=dari, nomor_awal=awal, peserta=people)
        awal += len(people)


def lampiran_file(cohort: Cohort) -> bytes:
    return lampiran_xlsx(sk_header(cohort), seated_people(cohort))


def write_lampiran(cohort: Cohort, path: str, *, progress=None) -> int:
    """The lampiran xlsx written to `path` a keyset page at a time (constant memory, the background job's
    body for a province's 600.000); returns how many people it lists."""
    report = progress or (lambda **_kw: None)
    header = sk_header(cohort)
    _check_unique(cohort)
    report(done=0, total=header.jumlah, text="Menulis lampiran SK")

    def people() -> Iterator[SkPerson]:
        for n, person in enumerate(seated_people(cohort), start=1):
            if n % 5000 == 0:
                report(done=n)
            yield person

    written = write_lampiran_xlsx(path, header, people())
    if written != header.jumlah:
        raise SkError("Daftar yang mendapat kursi berubah selama lampiran dibuat; silakan buat ulang.")
    return written


def file_prefix(cohort: Cohort) -> str:
    """What every stored SK file of this cohort, and of no other, starts with (the id before the slug)."""
    return f"sk-{cohort.pk}-"


def _volume_name(cohort: Cohort, revision: int, jilid: SkJilid) -> str:
    part = f"-jilid-{jilid.nomor:03d}-dari-{jilid.dari:03d}" if jilid.dari > 1 else ""
    return f"sk/{file_prefix(cohort)}penetapan-{cohort.program.slug}-r{revision}{part}.pdf"


def make_sk_pdf(cohort: Cohort, *, size: int | None = None, processes: int | None = None,
                on_volume: Callable[[int, int], None] | None = None) -> bool:
    """Render and store the SK PDF, volume by volume (run by the background worker). If the seats or the SK
    details change while it renders, what was made is thrown away rather than stored as current; returns
    whether it was kept."""
    revision = cohort.sk_revision
    this = Cohort.objects.filter(pk=cohort.pk)
    header = sk_header(cohort)
    _check_unique(cohort)
    size = size or settings.SK_JILID_BARIS
    dari = max(1, math.ceil(header.jumlah / size))
    this.update(sk_jilid_total=dari, sk_jilid_selesai=0)
    names: list[str] = []
    kept = 0
    try:
        for jilid, data in rendered(cohort, header, size, processes or settings.SK_PROSES):
            if not this.filter(sk_revision=revision).exists():
                return False  # stale already: the rest is not worth rendering
            names.append(default_storage.save(_volume_name(cohort, revision, jilid), ContentFile(data)))
            del data
            this.update(sk_jilid_selesai=len(names))
            if on_volume:
                on_volume(len(names), dari)
        kept = this.filter(sk_revision=revision).update(
            sk_pdf=names[0], sk_jilid=names if dari > 1 else [], sk_made_at=timezone.now(), sk_pending=False)
        return bool(kept)
    finally:
        if not kept:
            for name in names:
                default_storage.delete(name)


def rendered(cohort: Cohort, header: SkData, size: int, processes: int) -> Iterator[tuple[SkJilid, bytes]]:
    """Each volume with its PDF, in order. With `processes` > 1, that many child processes lay volumes out
    side by side (WeasyPrint is pure Python: one process uses one core); the database is read here only,
    and at most `processes` + 1 volumes wait at once, so memory stays bounded (~200 MB a process)."""
    if processes <= 1:
        for jilid in volumes(cohort, header, size):
            yield jilid, sk_pdf(header, jilid)
        return
    # spawn, not fork: the worker has a heartbeat thread and open database connections a fork would copy.
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn"))
    pending: deque = deque()
    try:
        for jilid in volumes(cohort, header, size):
            pending.append((jilid, pool.submit(render_pdf, sk_html(header, jilid))))
            if len(pending) > processes:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def sweep_orphans(cohort: Cohort) -> list[str]:
    """Delete stored SK volumes of this cohort that no row names: left by a job killed mid-way (its finally
    never ran). Called when a new SK job starts, before it writes anything of its own."""
    cohort.refresh_from_db(fields=["sk_pdf", "sk_jilid"])
    keep = set(cohort.sk_files)
    try:
        _, files = default_storage.listdir("sk")
    except FileNotFoundError:
        return []
    orphans = [f"sk/{name}" for name in files if name.startswith(file_prefix(cohort)) and f"sk/{name}" not in keep]
    for name in orphans:
        default_storage.delete(name)
    return orphans
