"""The new budget year (R15): who depends on the new APBD, and renewal of a programme into the next year.

Renewal makes next year's programme from this one (same pemda, funding source, PKS chain, kode kepesertaan,
age bounds, occupations, verification levels and age-out setting; a new pagu and window) and carries this
year's roster into it in one step: everyone still holding a seat (not out: died, moved, … are left behind)
whose age at the new start is within the bounds. They join as *terverifikasi* without a new import or
verification round (each with a logged status change naming the programme they come from), unless the
Disnaker asks for a re-verification round (then *calon* at the first level). With `form_cohort` the new
cohort is formed at once and the people BPJS already registered keep their KPJ (*terdaftar*), so they
are billed from the new start without a new submission. Newcomers join through the usual import.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import connection, transaction
from django.utils import timezone

from lindung.domain import arrears, masa_iur
from lindung.domain.periods import Month, age_on
from lindung.enrolment import services as enrolment
from lindung.enrolment.models import Cohort, Enrolment, Priority
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.lib.audit import record_change
from lindung.lib import keyset
from lindung.lib.bulk import insert_many
from lindung.programs.models import Program
from lindung.reconciliation.services import due_day

CARRIED_FIELDS = ("person_id", "desa_id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "tempat_lahir", "alamat",
                  "rt", "rw", "pekerjaan", "no_hp", "nama_ibu", "no_kk", "keterangan", "raw")
COPIED_SETTINGS = ("pemda_id", "sumber_dana", "pks_nomor", "pks_tanggal", "kode_kepesertaan", "usia_min", "usia_max",
                   "pekerjaan_diizinkan", "tingkat_verifikasi", "akhir_usia")
# Left behind: out of the programme, never protected, or set aside.
NOT_CARRIED = (CandidateStatus.KELUAR, CandidateStatus.DITOLAK, CandidateStatus.TIDAK_LAYAK, CandidateStatus.DUPLIKAT)


class RenewalError(ValueError):
    """A renewal that cannot be made; the message says why, in Indonesian."""


@dataclass
class Renewal:
    program: Program
    carried: int = 0
    kpj: int = 0
    cohort: Cohort | None = None  # the new cohort, when formed at once
    too_old: list[str] = field(default_factory=list)  # names, for the operator to read
    too_young: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """What the Disnaker is told afterwards (the page, or the renewal job's page)."""
        text = (f"Program {self.program.nama} dibuat: {self.carried} peserta dibawa, {len(self.too_old)} tidak "
                "dibawa karena melewati usia maksimum.")
        if self.cohort is not None:
            text += (f" Kohort dibuat: {self.cohort.seated_count()} mendapat kursi dari {self.cohort.kursi}; "
                     f"{self.kpj} tetap memakai KPJ tahun lalu (terdaftar).")
        return text

    def as_json(self) -> dict:
        return {"slug": self.program.slug, "dibawa": self.carried, "dengan_kpj": self.kpj,
                "lewat_usia": len(self.too_old), "di_bawah_usia": len(self.too_young)}


def renew(program: Program, *, slug: str, pagu: int, mulai: date, selesai: date, user, nama: str = "",
          reverify: bool = False, form_cohort: bool = False, progress=None) -> Renewal:
    """`progress` (a background job's, when the page queued the renewal with its cohort) hears the cohort's
    placing, as `enrolment.form_cohort` reports it."""
    check(program, slug=slug, pagu=pagu, mulai=mulai, selesai=selesai)
    with transaction.atomic():
        new = Program.objects.create(slug=slug, nama=nama or _next_name(program, mulai), pagu=pagu, mulai=mulai,
                                     selesai=selesai, created_by=user,
                                     **{name: getattr(program, name) for name in COPIED_SETTINGS})
        result = Renewal(new)
        kpj_by_nik: dict[str, str] = {}
        for page in _roster(program):  # a keyset page at a time: a province's roster is never held whole
            kept = [seat for seat in page if _age_ok(new, seat, result)]
            _carry(program, new, kept, user=user, reverify=reverify)
            result.carried += len(kept)
            kpj_by_nik.update((seat["nik"], seat["kpj"]) for seat in kept if seat["kpj"])
        if form_cohort and not reverify:
            result.cohort = enrolment.form_cohort(program=new, user=user, prioritas=Priority.LIST_ORDER,
                                                  progress=progress)
            result.kpj = _keep_kpj(result.cohort, kpj_by_nik, user=user)
        record_change(user, new, old=None, new={"dari": program.slug, "pagu": pagu, "mulai": mulai.isoformat(),
                                                "selesai": selesai.isoformat(), **result.as_json()},
                      note=f"perpanjangan dari {program.slug}")
    return result


def check(program: Program, *, slug: str, pagu: int, mulai: date, selesai: date) -> None:
    """RenewalError when the renewal cannot be made (the page checks before queueing it as a job)."""
    if enrolment.latest_cohort(program) is None:
        raise RenewalError(NO_COHORT.format(slug=program.slug))
    if Program.objects.filter(slug=slug).exists():
        raise RenewalError(f"Kode program {slug!r} sudah dipakai.")
    if pagu is None or pagu <= 0:
        raise RenewalError("Pagu harus lebih dari Rp0.")
    if selesai < mulai:
        raise RenewalError("Akhir perlindungan tidak boleh sebelum awalnya.")
    if mulai <= program.selesai:
        raise RenewalError(f"Program baru harus mulai sesudah program {program.slug} berakhir "
                           f"({program.selesai:%d-%m-%Y}).")


NO_COHORT = "Program {slug} belum punya kohort penetapan: tidak ada peserta untuk dibawa."


def _next_name(program: Program, mulai: date) -> str:
    old = str(program.selesai.year)
    return program.nama.replace(old, str(mulai.year)) if old in program.nama else f"{program.nama} {mulai.year}"


ROSTER_PAGE = 5000


def _roster(program: Program):
    """The seated people as plain values (a model instance each costs more than the database for 15.000),
    a keyset page of ROSTER_PAGE at a time, in seat order."""
    cohort = enrolment.latest_cohort(program)
    if cohort is None:
        raise RenewalError(NO_COHORT.format(slug=program.slug))
    names = [f"candidate__{f}" for f in CARRIED_FIELDS]
    seated = cohort.seated.exclude(candidate__status__in=NOT_CARRIED).order_by("urutan", "pk")
    cursor = None
    while True:
        # A list per page, not a lazy query: on PostgreSQL each page is written by COPY on the same connection.
        page = seated.filter(keyset.after(["urutan", "pk"], cursor)) if cursor else seated
        rows = list(page.values_list("urutan", "pk", "kpj", *names)[:ROSTER_PAGE])
        if not rows:
            return
        cursor = rows[-1][:2]
        yield [{"kpj": kpj, **dict(zip(CARRIED_FIELDS, values))} for _urutan, _pk, kpj, *values in rows]


def _age_ok(new: Program, seat: dict, result: Renewal) -> bool:
    """R8 again at the new start: someone who turned 66 is not carried into the new year."""
    born = seat["tanggal_lahir"]
    if born is None or born > new.mulai:
        return True  # no date to check against: the usual checks of the import never passed them without one
    age = age_on(born, new.mulai)
    if age > new.usia_max:
        result.too_old.append(seat["nama"])
        return False
    if age < new.usia_min:
        result.too_young.append(seat["nama"])
        return False
    return True


def _carry(old: Program, new: Program, seats: list[dict], *, user, reverify: bool) -> None:
    status = CandidateStatus.CALON if reverify else CandidateStatus.TERVERIFIKASI
    level = 0 if reverify else len(new.levels)
    now = timezone.now()
    fields = (*CARRIED_FIELDS, "program_id", "status", "level_index", "created_at", "updated_at")
    insert_many(Candidate, fields, ((*(seat[f] for f in CARRIED_FIELDS), new.pk, status, level, now, now)
                                    for seat in seats))
    if reverify:
        return  # a calon again: their first decision is the next status change
    reason = f"Dibawa dari {old.slug} tanpa verifikasi ulang: peserta tahun sebelumnya (perpanjangan)"
    # A list, not a lazy query: on PostgreSQL the rows are streamed by COPY on the same connection.
    created = list(Candidate.objects.filter(program=new, nik__in=[seat["nik"] for seat in seats])
                   .values_list("pk", flat=True))
    insert_many(StatusChange, ("candidate_id", "old", "new", "user_id", "at", "reason"),
                [(pk, CandidateStatus.CALON, status, getattr(user, "pk", None), now, reason) for pk in created])


def _keep_kpj(cohort, kpj_by_nik: dict[str, str], *, user) -> int:
    """The seated whom BPJS registered last year keep their KPJ and become *terdaftar* (no new submission):
    set-based, 5.000 people a statement, never one object per person (a province carries 600.000)."""
    seated = [(pk, candidate, kpj_by_nik[nik]) for pk, candidate, nik in
              cohort.seated.order_by("urutan").values_list("pk", "candidate_id", "candidate__nik").iterator(chunk_size=5000)
              if nik in kpj_by_nik]
    now = timezone.now()
    reason = "Sudah terdaftar di BPJS: KPJ dari program sebelumnya"
    for start in range(0, len(seated), KPJ_CHUNK):
        part = seated[start:start + KPJ_CHUNK]
        _set_kpj([(pk, kpj) for pk, _candidate, kpj in part])
        ids = [candidate for _pk, candidate, _kpj in part]
        Candidate.objects.filter(pk__in=ids).update(status=CandidateStatus.TERDAFTAR, updated_at=now)
        insert_many(StatusChange, ("candidate_id", "old", "new", "user_id", "at", "reason"),
                    [(pk, CandidateStatus.TERVERIFIKASI, CandidateStatus.TERDAFTAR, getattr(user, "pk", None), now, reason)
                     for pk in ids])
    return len(seated)


KPJ_CHUNK = 5000


def _set_kpj(pairs: list[tuple[int, str]]) -> None:
    """Each enrolment its own KPJ in one UPDATE joined to a VALUES list (SQLite ≥ 3.33 and PostgreSQL)."""
    if not pairs:
        return
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET kpj = v.column2 FROM (VALUES {values}) AS v WHERE {table}.id = v.column1",
                       [value for pair in pairs for value in pair])


# --- R15: who depends on the new APBD ----------------------------------------------------------------


@dataclass(frozen=True)
class Dependent:
    candidate: Candidate
    lapse_on: date  # the day they would lapse (> 3 unpaid months) if no new money arrives
    masa: masa_iur.MasaIur


def lapse_day(last_covered: Month, due: int, limit: int = 3) -> date:
    """With no payment after `last_covered`, the day the (limit+1)-th unpaid month is overdue: R12's lapse."""
    return arrears.due_date(last_covered + limit + 1, due) + timedelta(days=1)


def new_year_dependents(program: Program, *, today: date, candidates=None) -> list[Dependent]:
    """People covered to the window's end, whose next month is paid only from the new APBD (R15)."""
    from lindung.protection import contributions

    cohort = enrolment.latest_cohort(program)
    if cohort is None:
        return []
    base = Candidate.objects.all() if candidates is None else candidates
    people = base.filter(program=program, status__in=contributions.COVERED,
                         enrolments__cohort=cohort, enrolments__state=Enrolment.State.SEATED,
                         enrolments__akhir__isnull=True).select_related("desa").order_by("nama", "pk")
    people = list(people)
    lapse = lapse_day(cohort.window.end, due_day(program))
    months = contributions.paid_months(c.nik for c in people)
    rules, until = contributions.rules(), cohort.window.end
    return [Dependent(c, lapse, masa_iur.count(months.get(c.nik, ()), until=until, rules=rules)) for c in people]
