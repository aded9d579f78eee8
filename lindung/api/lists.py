"""The lists the pages show, as Sheets: the same scoped querysets and filters as the pages, identity
fields through `disclosure_for` (masked roles get masked NIK, No. KK and birth year only)."""

from __future__ import annotations

from lindung.accounts.access import disclosure_for
from lindung.api.exports import CHUNK, Sheet
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate, CandidateStatus
from lindung.linkage.models import MatchPair

STATUS = dict(CandidateStatus.choices)
CALON_HEADERS = ["NIK", "Nama", "Tanggal/Tahun Lahir", "Jenis Kelamin", "Kode Desa", "Desa/Kelurahan", "Pekerjaan",
                 "No. KK", "Alamat", "RT", "RW", "No. HP", "Status", "KPJ BPJS", "Masalah"]
CALON_FIELDS = ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "desa_id", "desa__nama", "pekerjaan", "no_kk",
                "alamat", "rt", "rw", "no_hp", "status", "bpjs_kpj", "problem_codes")


def _born(value, full: bool) -> str:
    if value is None:
        return ""
    return value.isoformat() if full else str(value.year)


def calon_cells(values: tuple, shown) -> list:
    nik, nama, lahir, jk, desa, desa_nama, pekerjaan, kk, alamat, rt, rw, hp, status, kpj, codes = values
    return [shown.nik(nik), nama, _born(lahir, shown.full), jk, desa, desa_nama, pekerjaan,
            shown.kk(kk) if kk else "", alamat, rt, rw, hp, STATUS.get(status, status), kpj,
            ", ".join(code for code in codes.split("|") if code)]


def candidates(user, qs, *, stem: str, title: str, note: str) -> Sheet:
    shown = disclosure_for(user)

    def rows():
        for values in qs.order_by("pk").values_list(*CALON_FIELDS).iterator(chunk_size=CHUNK):
            yield calon_cells(values, shown)

    return Sheet(stem, title, CALON_HEADERS, rows, Candidate, note)


def enrolments(user, qs, *, stem: str, title: str, note: str) -> Sheet:
    shown = disclosure_for(user)
    states = dict(Enrolment.State.choices)
    fields = ("urutan", "state", "kpj", "alasan", *(f"candidate__{f}" for f in CALON_FIELDS))

    def rows():
        for values in qs.order_by("urutan", "pk").values_list(*fields).iterator(chunk_size=CHUNK):
            urutan, state, kpj, alasan, *calon = values
            yield [urutan, states.get(state, state), kpj, alasan, *calon_cells(tuple(calon), shown)]

    return Sheet(stem, title, ["Urutan", "Keadaan", "No. KPJ", "Alasan", *CALON_HEADERS], rows, Enrolment, note)


def pairs(user, qs, *, stem: str, title: str, note: str) -> Sheet:
    """Match pairs: a side outside the user's area (and the BPJS branch's record) is masked for every role,
    as on the pair cards (accounts.access)."""
    from lindung.programs.models import Program

    statuses, kinds = dict(MatchPair.Status.choices), dict(MatchPair.Kind.choices)
    programs = set(Program.objects.visible_to(user).values_list("pk", flat=True))
    membership = getattr(user, "membership", None)
    own_desa = membership.wilayah_id if membership is not None and membership.is_desa and not user.is_superuser else None
    outside = disclosure_for(user, in_area=False)

    def side(program_id, desa_id, nik, nama, slug):
        in_area = user.is_superuser or (program_id in programs and own_desa in (None, desa_id))
        shown = disclosure_for(user, in_area=in_area)
        return [slug or "", nama or "", shown.nik(nik) if nik else ""]

    fields = ("pk", "kind", "score", "band", "status",
              "left__program_id", "left__desa_id", "left__nik", "left__nama", "left__program__slug",
              "right_id", "right__program_id", "right__desa_id", "right__nik", "right__nama", "right__program__slug",
              "participant__nik", "participant__nama", "participant__kpj")

    def rows():
        for v in qs.order_by("-score", "pk").values_list(*fields).iterator(chunk_size=CHUNK):
            pk, kind, score, band, status = v[:5]
            left = v[5:10]
            rid, rprog, rdesa, rnik, rnama, rslug, pnik, pnama, pkpj = v[10:]
            right = (side(rprog, rdesa, rnik, rnama, rslug) if rid
                     else ["BPJS", pnama or "", outside.nik(pnik) if pnik else ""])
            yield [pk, kinds.get(kind, kind), round(score, 4), band, statuses.get(status, status),
                   *side(*left), *right, pkpj or ""]

    headers = ["ID", "Jenis", "Skor", "Pita", "Status", "Program kiri", "Nama kiri", "NIK kiri",
               "Program kanan", "Nama kanan", "NIK kanan", "KPJ"]
    return Sheet(stem, title, headers, rows, MatchPair, note)
