"""The SK penetapan penerima and its lampiran for a cohort: the seated people only, numbered (R18)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from lindung.domain.pekerjaan import label_of
from lindung.domain.periods import Month
from lindung.enrolment.models import Cohort
from lindung.reports.sk import SkData, SkPerson, lampiran_xlsx, sk_pdf


def sk_data(cohort: Cohort) -> SkData:
    program = cohort.program
    seated = list(cohort.seated.select_related("candidate__desa__induk").order_by("urutan"))
    people = tuple(
        SkPerson(nik=e.candidate.nik, nama=e.candidate.nama, tanggal_lahir=e.candidate.tanggal_lahir,
                 jenis_kelamin=e.candidate.jenis_kelamin, desa=e.candidate.desa.nama,
                 kecamatan=e.candidate.desa.induk.nama if e.candidate.desa.induk else "",
                 pekerjaan=label_of(e.candidate.pekerjaan))
        for e in seated)
    window = cohort.window
    return SkData(
        pemda=program.pemda.nama, program=program.nama, nomor_sk=cohort.nomor_sk or "…",
        tanggal_sk=cohort.tanggal_sk or timezone.localdate(), tempat=cohort.tempat_sk or program.pemda.nama,
        sumber_dana=program.get_sumber_dana_display(), pks_nomor=program.pks_nomor, pks_tanggal=program.pks_tanggal,
        mulai=cohort.mulai, selesai=window.end_date, bulan=cohort.bulan,
        iuran_per_orang_per_bulan=cohort.iuran_per_bulan, total_iuran=_total(cohort, seated),
        aturan=tuple(cohort.aturan), kode_kepesertaan=program.kode_kepesertaan,
        penandatangan_jabatan=cohort.penandatangan_jabatan or "Kepala Dinas Tenaga Kerja", penandatangan_nama=cohort.penandatangan_nama or "…",
        peserta=people, catatan=tuple(note for note in cohort.catatan if not _internal(note)))


def _internal(note: str) -> bool:
    """How BPJS counts a participant in its own targets (KPI) is for the Disnaker's page, not for the decree."""
    return "KPI" in note or "proporsional" in note


def _total(cohort: Cohort, seated: list) -> int:
    """The listed people's iuran over their own months: a replacement or an APBD-P seat from its first month."""
    from lindung.enrolment.services import seat_cost

    costs: dict = {}
    return sum(cohort.iuran_per_orang if e.mulai is None else costs.setdefault(e.mulai, seat_cost(cohort, Month.of(e.mulai)))
               for e in seated)


def lampiran_file(cohort: Cohort) -> bytes:
    return lampiran_xlsx(sk_data(cohort))


def make_sk_pdf(cohort: Cohort) -> bool:
    """Render and store the SK PDF (run by the background worker). If the seats or the SK details changed
    while it rendered, the result is thrown away rather than stored as current; returns whether it was kept."""
    revision = cohort.sk_revision
    data = sk_pdf(sk_data(cohort))
    name = default_storage.save(f"sk/sk-penetapan-{cohort.program.slug}-{cohort.pk}.pdf", ContentFile(data))
    kept = Cohort.objects.filter(pk=cohort.pk, sk_revision=revision).update(
        sk_pdf=name, sk_made_at=timezone.now(), sk_pending=False)
    if not kept:
        default_storage.delete(name)
    return bool(kept)
