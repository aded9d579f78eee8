"""Claims (R23): the benefit due with the person's masa iur, BPJS's answer, mismatches, a death ends billing."""

from datetime import date

import pytest

from lindung.billing.models import PersonMonth
from lindung.protection import claims
from lindung.protection.models import Claim
from lindung.protection.tests.conftest import make_year_cohort, pay
from lindung.domain.periods import Month
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate, CandidateStatus


@pytest.fixture
def paid_year(people):
    cohort = make_year_cohort(people, waiting=1)
    pay(cohort.program, months=[Month(2025, m) for m in range(1, 13)])
    return cohort


def person(name: str) -> Candidate:
    return Candidate.objects.get(nama=name, program__slug="prog-a")


def test_a_jkm_death_after_two_months_is_due_10_million_and_ends_billing(paid_year, people):
    claim = claims.record(candidate=person("Peserta 1"), jenis="jkm", tanggal=date(2025, 2, 20), ahli_waris="Siti",
                          user=people.admin_a)
    assert (claim.masa_iur_bulan, claim.jumlah_seharusnya) == (2, 10_000_000)
    rows = PersonMonth.objects.filter(candidate__nama="Peserta 1")
    assert rows.filter(state=PersonMonth.State.DIBAYAR).count() == 2
    assert rows.filter(state=PersonMonth.State.DIPERHITUNGKAN).count() == 10  # paid ahead: to settle with BPJS
    assert person("Peserta 1").status == CandidateStatus.KELUAR
    assert Enrolment.objects.get(candidate__nama="Peserta 4").state == Enrolment.State.SEATED  # replacement proposed


def test_a_jkm_death_after_three_months_is_due_42_million(paid_year, people):
    claim = claims.record(candidate=person("Peserta 2"), jenis="jkm", tanggal=date(2025, 3, 5), ahli_waris="Siti",
                          user=people.admin_a)
    assert (claim.masa_iur_bulan, claim.jumlah_seharusnya) == (3, 42_000_000)
    assert claims.paid(claim, jumlah=42_000_000, tanggal=date(2025, 4, 1), user=people.admin_a) == []
    warnings = claims.paid(claim, jumlah=40_000_000, tanggal=date(2025, 4, 1), user=people.admin_a)
    assert [w["code"] for w in warnings] == ["klaim_jkm_tidak_sesuai"]
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DIBAYAR and claim.peringatan[0]["code"] == "klaim_jkm_tidak_sesuai"


def test_a_jkk_death_at_one_million_is_due_70_million(paid_year, people):
    claim = claims.record(candidate=person("Peserta 3"), jenis="jkk_kematian", tanggal=date(2025, 6, 1),
                          ahli_waris="Ani", penghasilan=1_000_000, user=people.admin_a)
    assert claim.jumlah_seharusnya == 70_000_000
    with pytest.raises(claims.ClaimError, match="penghasilan"):
        claims.record(candidate=person("Peserta 2"), jenis="jkk_kematian", tanggal=date(2025, 6, 1), ahli_waris="A",
                      user=people.admin_a)


def test_a_jkk_death_at_a_low_income_is_due_the_jkm_floor(paid_year, people):
    claim = claims.record(candidate=person("Peserta 3"), jenis="jkk_kematian", tanggal=date(2025, 6, 1),
                          ahli_waris="Ani", penghasilan=300_000, user=people.admin_a)
    assert claim.jumlah_seharusnya == 42_000_000
    assert "batas bawah berlaku" in claim.rincian
    assert claims.paid(claim, jumlah=36_400_000, tanggal=date(2025, 7, 1), user=people.admin_a)


def test_a_death_before_pp_82_2019_is_refused_in_indonesian(paid_year, people):
    with pytest.raises(claims.ClaimError, match="2 Desember 2019"):
        claims.record(candidate=person("Peserta 3"), jenis="jkm", tanggal=date(2019, 6, 1), ahli_waris="Ani",
                      user=people.admin_a)


def test_beasiswa_for_three_children_is_capped_at_two_and_needs_36_months_after_a_jkm_death(paid_year, people):
    claim = claims.record(candidate=person("Peserta 2"), jenis="beasiswa", tanggal=date(2025, 6, 1), ahli_waris="Ani",
                          anak=3, sebab="jkk", user=people.admin_a)
    assert claim.jumlah_seharusnya == 174_000_000
    warnings = claims.paid(claim, jumlah=180_000_000, tanggal=date(2025, 7, 1), user=people.admin_a)
    assert {"beasiswa_anak_lebih_dari_dua", "beasiswa_melebihi_batas"} <= {w["code"] for w in warnings}
    jkm = claims.record(candidate=person("Peserta 3"), jenis="beasiswa", tanggal=date(2025, 6, 1), ahli_waris="Ani",
                        anak=1, sebab="jkm", user=people.admin_a)
    assert jkm.jumlah_seharusnya == 0 and "36 bulan" in jkm.rincian


def test_bad_claims_are_refused_in_indonesian(paid_year, people):
    with pytest.raises(claims.ClaimError, match="ahli waris"):
        claims.record(candidate=person("Peserta 1"), jenis="jkm", tanggal=date(2025, 3, 1), ahli_waris=" ",
                      user=people.admin_a)
    with pytest.raises(claims.ClaimError, match="sebab beasiswa"):
        claims.record(candidate=person("Peserta 1"), jenis="beasiswa", tanggal=date(2025, 3, 1), ahli_waris="A",
                      anak=1, user=people.admin_a)
    claim = claims.record(candidate=person("Peserta 1"), jenis="jkm", tanggal=date(2025, 3, 1), ahli_waris="A",
                          user=people.admin_a)
    with pytest.raises(claims.ClaimError, match="alasan penolakan"):
        claims.rejected(claim, alasan="  ", user=people.admin_a)
    claims.rejected(claim, alasan="Dokumen kurang", user=people.admin_a)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.DITOLAK
    assert Claim.objects.count() == 1  # nothing half-written by the refused ones


def test_the_claim_pages_record_answer_and_are_scoped(client, paid_year, people):
    from django.urls import reverse

    url = reverse("claims", args=["prog-a"])
    data = {"nik": person("Peserta 2").nik, "jenis": "jkm", "tanggal": "2025-03-05", "ahli_waris": "Siti"}
    client.force_login(people.bpkad_a)
    assert client.post(url, data).status_code == 403
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    client.force_login(people.admin_a)
    page = client.post(url, {**data, "nik": "2102031505990099"}, follow=True).content.decode()
    assert "NIK tidak ditemukan" in page
    page = client.post(url, data, follow=True).content.decode()
    assert "Rp42.000.000" in page and "Surat keterangan ahli waris" in page
    claim = Claim.objects.get()
    detail = reverse("claim_detail", args=[claim.pk])
    page = client.post(detail, {"hasil": "dibayar", "jumlah": "30000000", "tanggal": "2025-04-01"},
                       follow=True).content.decode()
    assert "berbeda dari ketentuan" in page
    client.force_login(people.outsider)
    assert client.get(detail).status_code == 404
