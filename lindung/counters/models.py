"""Counters a province-sized programme needs on every page, kept by database triggers (issue 18).

A page must not count a million rows to say how many candidates a programme has, how many wait at each
level, how many carry an import warning, or how many of a cohort are seated and submitted. These tables
hold those numbers; triggers on the candidate and enrolment tables (migrations 0001 and 0006) keep them, so every writer counts — the ORM, a multi-row
INSERT, COPY, a bulk UPDATE, a cascade delete. Application code only reads them; the one exception is
lindung.counters.bulk, which on SQLite counts a multi-row INSERT once in place of its row triggers.
`lindung hitung-ulang` compares them with a real COUNT and rebuilds them (lindung.counters.rebuild).
"""

from __future__ import annotations

from collections import Counter

from django.db import models


class CandidateTallyQuerySet(models.QuerySet):
    def for_program(self, program_id: int) -> Counter:
        """{(status, level_index): n} of one programme."""
        return Counter({(status, level): n for status, level, n in
                        self.filter(program_id=program_id).exclude(n=0).values_list("status", "level_index", "n")})

    def by_status(self, program_id: int) -> Counter:
        """{status: n} of one programme."""
        out: Counter = Counter()
        for (status, _level), n in self.for_program(program_id).items():
            out[status] += n
        return out

    def by_program(self, program_ids) -> dict[int, Counter]:
        """{program_id: {status: n}} of several programmes, in one query."""
        out: dict[int, Counter] = {pk: Counter() for pk in program_ids}
        for program_id, status, n in (self.filter(program_id__in=list(out)).values("program_id", "status")
                                      .annotate(total=models.Sum("n")).values_list("program_id", "status", "total")):
            out[program_id][status] += n
        return out


class CandidateTally(models.Model):
    """How many candidates of a programme have each status (and, waiting, at which verification level)."""

    program_id = models.BigIntegerField()
    status = models.CharField(max_length=16)
    level_index = models.PositiveSmallIntegerField()
    n = models.BigIntegerField(default=0)

    objects = CandidateTallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program_id", "status", "level_index"],
                                               name="one_candidate_tally")]
        verbose_name = "hitungan calon"
        verbose_name_plural = "hitungan calon"


class WarningTallyQuerySet(models.QuerySet):
    def for_program(self, program_id: int) -> dict[str, Counter]:
        """{combination of codes ("|a||b|"): {status: n}} of one programme, the combinations in the database's
        order — the order of the candidates' (program, problem_codes, …) index, which the warning filter pages
        along one combination at a time."""
        out: dict[str, Counter] = {}
        for codes, status, n in (self.filter(program_id=program_id, n__gt=0).order_by("problem_codes", "status")
                                 .values_list("problem_codes", "status", "n")):
            out.setdefault(codes, Counter())[status] = n
        return out


def with_code(tally: dict[str, Counter], code: str, *, status: str | None = None) -> int:
    """From a programme's warning tally as `for_program` read it: the candidates carrying `code` (among
    several or alone), optionally only those with `status`."""
    return sum(n for codes, by_status in tally.items() if f"|{code}|" in codes
               for s, n in by_status.items() if status is None or s == status)


class WarningTally(models.Model):
    """How many candidates of a programme carry each combination of import warning codes, per status (only
    candidates with at least one code). The list's warning filter adds up the combinations holding a code
    instead of counting a province's 25.000 matching rows on every page (issue 18)."""

    program_id = models.BigIntegerField()
    problem_codes = models.CharField(max_length=400)  # as on the candidate: "|code||code|"
    status = models.CharField(max_length=16)
    n = models.BigIntegerField(default=0)

    objects = WarningTallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program_id", "problem_codes", "status"], name="one_warning_tally")]
        verbose_name = "hitungan peringatan calon"
        verbose_name_plural = "hitungan peringatan calon"


class EnrolmentTallyQuerySet(models.QuerySet):
    def for_cohort(self, cohort_id: int) -> Counter:
        """{(state, candidate status): n} of one cohort."""
        return Counter({(state, status): n for state, status, n in
                        self.filter(cohort_id=cohort_id).exclude(n=0).values_list("state", "status", "n")})

    def by_state(self, cohort_id: int) -> Counter:
        return by_state(self.for_cohort(cohort_id))

    def in_state(self, cohort_id: int, state: str, *, statuses=None) -> int:
        """Enrolments of a cohort in `state`, optionally only those whose candidate has one of `statuses`."""
        return in_state(self.for_cohort(cohort_id), state, statuses=statuses)


def by_state(tally: Counter) -> Counter:
    """{state: n} of a cohort's tally as `for_cohort` read it."""
    out: Counter = Counter()
    for (state, _status), n in tally.items():
        out[state] += n
    return out


def in_state(tally: Counter, state: str, *, statuses=None) -> int:
    """From a cohort's tally as `for_cohort` read it: enrolments in `state`, optionally only with `statuses`."""
    return sum(n for (s, status), n in tally.items() if s == state and (statuses is None or status in statuses))


class EnrolmentTally(models.Model):
    """How many enrolments of a cohort are in each state, split by their candidate's status (seated and
    verified = to submit to BPJS; seated and diajukan = awaiting its answer)."""

    cohort_id = models.BigIntegerField()
    state = models.CharField(max_length=8)
    status = models.CharField(max_length=16)
    n = models.BigIntegerField(default=0)

    objects = EnrolmentTallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort_id", "state", "status"], name="one_enrolment_tally")]
        verbose_name = "hitungan penetapan"
        verbose_name_plural = "hitungan penetapan"


class LedgerTallyQuerySet(models.QuerySet):
    def for_program(self, program_id: int):
        return self.filter(program_id=program_id).exclude(n=0, iuran=0, paid=0)


class LedgerTally(models.Model):
    """Per programme, month, state and regulation text: how many person-months, their iuran and what was paid.
    The bill's header, the programme's billed and paid sums and the realisation read this instead of summing
    a province's person-months (600.000 a month) on every page."""

    program_id = models.BigIntegerField()
    bulan = models.DateField()
    state = models.CharField(max_length=16)
    aturan = models.JSONField(default=list)
    n = models.BigIntegerField(default=0)
    iuran = models.BigIntegerField(default=0)
    paid = models.BigIntegerField(default=0)

    objects = LedgerTallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program_id", "bulan", "state", "aturan"], name="one_ledger_tally")]
        verbose_name = "hitungan buku iuran"
        verbose_name_plural = "hitungan buku iuran"


class CoverageTally(models.Model):
    """Per programme, month, desa and occupation (as billed): how many person-months are not *batal* — the
    people covered that month (R21; the ledger bills a NIK once a month). The home and coverage pages add
    these up per area instead of counting a province's 600.000 person-months a month with a join."""

    program_id = models.BigIntegerField()
    bulan = models.DateField()
    desa = models.CharField(max_length=13)
    pekerjaan = models.CharField(max_length=40)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program_id", "bulan", "desa", "pekerjaan"],
                                               name="one_coverage_tally")]
        indexes = [models.Index(fields=["bulan", "desa"], name="coverage_tally_month_area")]
        verbose_name = "hitungan cakupan"
        verbose_name_plural = "hitungan cakupan"
