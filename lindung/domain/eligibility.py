"""Eligibility rules for a candidate (calon peserta): one small function per rule.

Each check returns a reason code (str) or None. Codes are stable and stored; REASONS gives the
Indonesian sentence shown to operators. check_all runs every rule so an import reports all reasons
at once (architecture.md rule 9).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .pekerjaan import ALLOWED_PEKERJAAN_BY_SUMBER, PEKERJAAN, SUMBER_DANA, parse_pekerjaan
from .periods import age_on
from .problems import Problem

MIN_AGE = 18
MAX_AGE = 65

REASONS: dict[str, str] = {
    "tanggal_lahir_kosong": "Tanggal lahir belum diisi, usia tidak dapat diperiksa.",
    "usia_kurang": "Usia pada awal masa perlindungan kurang dari batas minimal program.",
    "usia_lebih": "Usia pada awal masa perlindungan melebihi batas maksimal program.",
    "nik_tidak_valid": "NIK tidak valid.",
    "sudah_terdaftar": "Sudah terdaftar sebagai peserta BPJS Ketenagakerjaan.",
    "pekerjaan_kosong": "Pekerjaan belum diisi.",
    "pekerjaan_tidak_dikenal": "Pekerjaan tidak ada dalam daftar pekerjaan.",
    "pekerjaan_tidak_sesuai": "Pekerjaan tidak sesuai dengan ketentuan sumber dana atau program.",
}


class EligibilityError(ValueError):
    """A check was called with a setting that cannot be right (not a fact about the candidate)."""


def check_age(
    tanggal_lahir: date | None, coverage_start: date, *, min_age: int = MIN_AGE, max_age: int = MAX_AGE
) -> str | None:
    """Age in completed years at the coverage start must be within [min_age, max_age] (R8).

    Both bounds are inclusive: a 65-year-old qualifies until the day before turning 66.
    """
    if min_age > max_age:
        raise EligibilityError(f"Batas usia terbalik: minimal {min_age}, maksimal {max_age}.")
    if tanggal_lahir is None:
        return "tanggal_lahir_kosong"
    if tanggal_lahir > coverage_start:
        return "usia_kurang"  # born after the start: certainly too young (and suspicious data)
    age = age_on(tanggal_lahir, coverage_start)
    if age < min_age:
        return "usia_kurang"
    if age > max_age:
        return "usia_lebih"
    return None


def check_nik(nik_valid: object) -> str | None:
    """Takes a bool, or anything with `.valid` (a parsed Nik), so this does not depend on nik.py."""
    valid = getattr(nik_valid, "valid", nik_valid)
    return None if valid is True else "nik_tidak_valid"


def check_bpjs(already_participant: bool | None) -> str | None:
    """Someone already registered with BPJS TK is rejected by BPJS, so never billed (R10).

    None means the pre-registration check has not run yet: not a reason to reject.
    """
    return "sudah_terdaftar" if already_participant else None


def check_pekerjaan(
    pekerjaan: str | None, sumber_dana: str, allowed: frozenset[str] | None = None
) -> str | None:
    """The occupation must be one the funding source (or the programme's own list) may pay for (R19).

    `pekerjaan` is a code; free text is accepted too and read with parse_pekerjaan.
    """
    if sumber_dana not in ALLOWED_PEKERJAAN_BY_SUMBER:
        raise EligibilityError(f"Sumber dana tidak dikenal: {sumber_dana!r}. Pilihan: {', '.join(SUMBER_DANA)}.")
    if pekerjaan is None or not str(pekerjaan).strip():
        return "pekerjaan_kosong"
    code = pekerjaan if pekerjaan in PEKERJAAN else parse_pekerjaan(pekerjaan)
    if code is None:
        return "pekerjaan_tidak_dikenal"
    permitted = ALLOWED_PEKERJAAN_BY_SUMBER[sumber_dana] if allowed is None else allowed
    # A programme list narrows what the source allows; it can never widen it (DBHCHT stays DBHCHT).
    if code not in permitted or code not in ALLOWED_PEKERJAAN_BY_SUMBER[sumber_dana]:
        return "pekerjaan_tidak_sesuai"
    return None


def check_all(
    *,
    tanggal_lahir: date | None,
    coverage_start: date,
    nik_valid: object,
    already_participant: bool | None,
    pekerjaan: str | None,
    sumber_dana: str,
    allowed: frozenset[str] | None = None,
    min_age: int = MIN_AGE,
    max_age: int = MAX_AGE,
) -> list[str]:
    """Every reason this candidate is not eligible, in a fixed order; empty means eligible."""
    reasons = (
        check_nik(nik_valid),
        check_age(tanggal_lahir, coverage_start, min_age=min_age, max_age=max_age),
        check_bpjs(already_participant),
        check_pekerjaan(pekerjaan, sumber_dana, allowed),
    )
    return [reason for reason in reasons if reason is not None]


def as_problems(reasons: Iterable[str]) -> list[Problem]:
    """Reason codes as Problems, for import previews that list every problem of a row."""
    return [Problem(code, REASONS[code]) for code in reasons]
