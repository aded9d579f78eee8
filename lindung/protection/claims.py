"""Claims assistance (R23): record a death or a claim, show the benefit due under the rules with the person's
masa iur, record BPJS's answer and warn when the amount paid differs from the rule (Blora: claim money cut
by a perangkat desa, domain.md §5). A recorded death ends the person's billing (ledger) and offers the
seat to the waiting list, through `enrolment.services.release`."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from lindung.protection import contributions
from lindung.protection.models import Claim
from lindung.domain import benefits
from lindung.domain.masa_iur import BEASISWA_MONTHS
from lindung.domain.problems import Problem
from lindung.enrolment.models import Enrolment
from lindung.enrolment.services import release
from lindung.lib.audit import record_change, snapshot
from lindung.lib.format import format_rupiah

DEATHS = (Claim.Jenis.JKM, Claim.Jenis.JKK_KEMATIAN)
FIELDS = ("jenis", "tanggal_kejadian", "status", "jumlah_seharusnya", "jumlah_dibayar", "tanggal_dibayar",
          "alasan_ditolak")


class ClaimError(ValueError):
    """A claim that cannot be recorded; the message says why, in Indonesian."""


def expected(jenis: str, *, masa_iur_bulan: int, on: date, penghasilan: int | None = None, anak: int | None = None,
             sebab: str = "") -> tuple[int, str]:
    """The benefit due under the rules, and how it was reached (shown beside the claim)."""
    try:
        if jenis == Claim.Jenis.JKM:
            manfaat = benefits.jkm(masa_iur_bulan, on=on)
            return manfaat.jumlah, f"{format_rupiah(manfaat.jumlah)}: {manfaat.keterangan}"
        if jenis == Claim.Jenis.JKK_KEMATIAN:
            if not penghasilan:
                raise ClaimError("Isi penghasilan yang dilaporkan untuk klaim JKK meninggal.")
            manfaat = benefits.jkk_death(penghasilan, on=on)
            return manfaat.jumlah, f"JKK meninggal {format_rupiah(manfaat.jumlah)}: {manfaat.keterangan}"
        if not anak:
            raise ClaimError("Isi jumlah anak penerima beasiswa.")
        if sebab == "jkm" and masa_iur_bulan < BEASISWA_MONTHS:
            return 0, f"Beasiswa karena JKM perlu masa iur {BEASISWA_MONTHS} bulan; baru {masa_iur_bulan} bulan"
        amount = benefits.beasiswa_cap(anak, on=on)
        return amount, f"Beasiswa paling banyak {format_rupiah(amount)} (paling banyak 2 anak)"
    except benefits.BenefitError as exc:
        raise ClaimError(str(exc)) from None


def record(*, candidate, jenis: str, tanggal: date, ahli_waris: str, user, penghasilan: int | None = None,
           anak: int | None = None, sebab: str = "") -> Claim:
    if jenis not in Claim.Jenis.values:
        raise ClaimError(f"Jenis klaim {jenis!r} tidak dikenal.")
    if jenis == Claim.Jenis.BEASISWA and sebab not in ("jkk", "jkm"):
        raise ClaimError("Pilih sebab beasiswa: kecelakaan kerja (jkk) atau meninggal bukan karena kerja (jkm).")
    if not " ".join((ahli_waris or "").split()):
        raise ClaimError("Nama ahli waris wajib diisi.")
    masa = contributions.person(candidate.nik, today=tanggal).dihitung
    amount, rincian = expected(jenis, masa_iur_bulan=masa, on=tanggal, penghasilan=penghasilan, anak=anak, sebab=sebab)
    with transaction.atomic():
        claim = Claim.objects.create(candidate=candidate, jenis=jenis, tanggal_kejadian=tanggal,
                                     ahli_waris=ahli_waris.strip()[:150], penghasilan=penghasilan, anak=anak,
                                     sebab=sebab, masa_iur_bulan=masa, jumlah_seharusnya=amount, rincian=rincian[:255],
                                     created_by=user)
        record_change(user, claim, old=None, new=snapshot(claim, FIELDS), note=f"klaim {jenis} {candidate.nama}"[:200])
        if jenis in DEATHS:
            _end_coverage(candidate, tanggal, user=user)
    return claim


def _end_coverage(candidate, tanggal: date, *, user) -> None:
    """The death ends billing after its month and proposes the next on the waiting list."""
    seat = Enrolment.objects.filter(candidate=candidate, state=Enrolment.State.SEATED).select_related("cohort").first()
    if seat is not None:
        release(seat, user=user, akhir=tanggal, kode="meninggal", reason=f"Meninggal dunia {tanggal:%d-%m-%Y} (klaim)")


def paid(claim: Claim, *, jumlah: int, tanggal: date, user) -> list[dict]:
    """BPJS paid: record the amount and warn (kept on the claim) when it differs from the rule."""
    if jumlah is None or jumlah < 0:
        raise ClaimError("Jumlah yang dibayar BPJS tidak boleh kosong atau negatif.")
    problems = benefits.check_claim(jenis=claim.jenis, amount=jumlah, masa_iur_bulan=claim.masa_iur_bulan,
                                    penghasilan=claim.penghasilan, children=claim.anak, sebab=claim.sebab or None,
                                    on=claim.tanggal_kejadian)
    if claim.jenis != Claim.Jenis.BEASISWA and jumlah != claim.jumlah_seharusnya and not problems:
        problems = [Problem("klaim_tidak_sesuai", f"Dibayar {format_rupiah(jumlah)}, menurut ketentuan "
                                                           f"{format_rupiah(claim.jumlah_seharusnya)}.")]
    warnings = [{"code": p.code, "message": p.message} for p in problems]
    _update(claim, user, status=Claim.Status.DIBAYAR, jumlah_dibayar=jumlah, tanggal_dibayar=tanggal, peringatan=warnings)
    return warnings


def rejected(claim: Claim, *, alasan: str, user) -> None:
    alasan = " ".join((alasan or "").split())
    if not alasan:
        raise ClaimError("Tuliskan alasan penolakan dari BPJS.")
    _update(claim, user, status=Claim.Status.DITOLAK, alasan_ditolak=alasan[:255])


def _update(claim: Claim, user, **values) -> None:
    with transaction.atomic():
        old = snapshot(claim, FIELDS)
        for name, value in values.items():
            setattr(claim, name, value)
        claim.save(update_fields=list(values))
        record_change(user, claim, old=old, new=snapshot(claim, FIELDS), note=f"klaim {claim.get_status_display()}")
