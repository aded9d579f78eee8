"""R15 and renewal: who depends on the new APBD; next year's programme with the roster carried in one step."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from lindung.protection.renewal import RenewalError, lapse_day, new_year_dependents, renew
from lindung.protection.tests.conftest import make_year_cohort, pay
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.billing.models import PersonMonth
from lindung.billing.ledger import sync_ledger


def test_the_lapse_day_of_a_december_window_is_in_may():
    # No money January–April 2026: April is the 4th unpaid month, due 15 May; lapsed on the 16th.
    assert lapse_day(Month(2025, 12), 15) == date(2026, 5, 16)


def test_before_1_january_the_dependents_are_listed(people):
    cohort = make_year_cohort(people)
    pay(cohort.program, months=[Month(2025, m) for m in range(1, 13)])
    seat = cohort.seated.get(candidate__nama="Peserta 3")
    services.release(seat, user=None, reason="Meninggal", akhir=date(2025, 6, 2), kode="meninggal")
    found = new_year_dependents(cohort.program, today=date(2025, 12, 10))
    assert [d.candidate.nama for d in found] == ["Peserta 1", "Peserta 2"]
    assert found[0].lapse_on == date(2026, 5, 16) and found[0].masa.dihitung == 12


def test_renewal_carries_the_roster_without_reverification(people):
    cohort = make_year_cohort(people, first_born=1959)  # Peserta 1 is 66 on 1 January 2026
    seat = cohort.seated.get(candidate__nama="Peserta 3")
    services.release(seat, user=None, reason="Pindah domisili", akhir=date(2025, 8, 31), kode="pindah")
    result = renew(cohort.program, slug="prog-a-2026", pagu=2 * 12 * 16_800, mulai=date(2026, 1, 1),
                   selesai=date(2026, 12, 31), user=people.admin_a, form_cohort=True)
    new = result.program
    assert (result.carried, result.kpj, result.too_old) == (1, 1, ["Peserta 1"])
    assert new.nama == "Program prog-a 2026" and new.pks_nomor == cohort.program.pks_nomor and new.levels == ["disnaker"]
    carried = Candidate.objects.get(program=new)
    assert carried.nama == "Peserta 2" and carried.status == CandidateStatus.TERDAFTAR
    assert carried.enrolments.get().kpj == "21010000002"
    reasons = list(StatusChange.objects.filter(candidate=carried).values_list("reason", flat=True))
    assert "Dibawa dari prog-a tanpa verifikasi ulang" in reasons[0] and "KPJ dari program sebelumnya" in reasons[1]
    # Billed from January 2026 with the KPJ; the months between the windows are none (no gap).
    services.advance_lifecycle(today=date(2026, 1, 1))
    sync_ledger(new, through=Month(2026, 1))
    assert PersonMonth.objects.get(program=new).kpj == "21010000002"


def test_a_reverification_round_carries_them_as_calon(people):
    cohort = make_year_cohort(people)
    result = renew(cohort.program, slug="prog-a-2026", pagu=1_000_000, mulai=date(2026, 1, 1),
                   selesai=date(2026, 12, 31), user=people.admin_a, reverify=True)
    assert set(Candidate.objects.filter(program=result.program).values_list("status", flat=True)) == {"calon"}


def test_bad_renewals_are_refused_in_indonesian(people):
    cohort = make_year_cohort(people)
    program = cohort.program
    with pytest.raises(RenewalError, match="sudah dipakai"):
        renew(program, slug="prog-b", pagu=1, mulai=date(2026, 1, 1), selesai=date(2026, 12, 31), user=None)
    with pytest.raises(RenewalError, match="harus mulai sesudah"):
        renew(program, slug="x-2026", pagu=1, mulai=date(2025, 12, 1), selesai=date(2026, 12, 31), user=None)
    with pytest.raises(CommandError, match="berformat YYYY-MM-DD"):
        call_command("perpanjang", program.slug, "--baru", "x", "--pagu", "1", "--mulai", "1-1-2026", "--selesai", "x")


def test_the_command_reports_the_carried_roster(people):
    cohort = make_year_cohort(people)
    out = io.StringIO()
    call_command("perpanjang", cohort.program.slug, "--baru", "prog-a-2026", "--pagu", str(3 * 12 * 16_800),
                 "--mulai", "2026-01-01", "--selesai", "2026-12-31", "--kohort", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["slug"], result["dibawa"], result["dengan_kpj"]) == ("prog-a-2026", 3, 3)
    out = io.StringIO()
    call_command("program", "prog-a-2026", "--json", stdout=out)
    state = json.loads(out.getvalue())
    assert (state["calon"], state["terdaftar"], state["kursi"]) == (3, 3, 3)


def test_the_new_year_page_lists_and_renews_for_disnaker_only(client, people):
    from django.urls import reverse

    cohort = make_year_cohort(people)
    url = reverse("new_year", args=[cohort.program.slug])
    form = {"slug": "prog-a-2026", "pagu": str(3 * 12 * 16_800), "mulai": "2026-01-01", "selesai": "2026-12-31",
            "kohort": "on"}
    client.force_login(people.bpkad_a)
    page = client.get(url).content.decode()
    assert "Peserta 1" in page and "16 Mei 2026" in page and "Buat program tahun berikutnya" not in page
    assert client.post(url, form).status_code == 403
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    client.force_login(people.admin_a)
    page = client.post(url, {**form, "mulai": "2025-06-01"}, follow=True).content.decode()
    assert "harus mulai sesudah program prog-a berakhir" in page
    response = client.post(url, form, follow=True)
    assert "3 peserta dibawa" in response.content.decode()
    assert Candidate.objects.filter(program__slug="prog-a-2026").count() == 3


def test_the_renewal_form_takes_the_pagu_and_code_as_people_write_them():
    from lindung.protection.forms import RenewalForm

    form = RenewalForm({"slug": "ppu-2026-kab", "pagu": "Rp 3.024.000.000", "mulai": "2026-01-01", "selesai": "2026-12-31"})
    assert form.is_valid() and form.cleaned_data["pagu"] == 3_024_000_000
    form = RenewalForm({"slug": "ppu 2026", "pagu": "3.024.000000", "mulai": "2026-01-01", "selesai": "2026-12-31"})
    assert not form.is_valid()
    assert form.errors["pagu"] == ["Tulis jumlah dalam rupiah penuh, mis. 201.600.000 (tanpa sen)."]
    assert form.errors["slug"][0].startswith("Kode program hanya boleh huruf")  # not Django's “slug”
