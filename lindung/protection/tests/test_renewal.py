"""R15 and renewal: who depends on the new APBD; next year's programme with the roster carried in one step."""

import io
import json
from datetime import date

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from lindung.background.models import Job
from lindung.background.tests.helpers import run_waiting_jobs, run_worker
from lindung.lib import jobs
from lindung.programs.models import Program

from lindung.protection import renewal
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


def renewal_form(people, *, seats: int = 3, **cohort):
    """A year's cohort of Kabupaten A, its new-year page and a renewal form with *Langsung bentuk kohort*."""
    cohort = make_year_cohort(people, **cohort)
    form = {"slug": "prog-a-2026", "pagu": str(seats * 12 * 16_800), "mulai": "2026-01-01", "selesai": "2026-12-31",
            "kohort": "on"}
    return cohort, reverse("new_year", args=[cohort.program.slug]), form


def test_the_new_year_page_lists_and_renews_for_disnaker_only(client, people):
    cohort, url, form = renewal_form(people)
    client.force_login(people.bpkad_a)
    page = client.get(url).content.decode()
    assert "Peserta 1" in page and "16 Mei 2026" in page and "Buat program tahun berikutnya" not in page
    assert client.post(url, form).status_code == 403
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    client.force_login(people.admin_a)
    page = client.post(url, {**form, "mulai": "2025-06-01"}, follow=True).content.decode()
    assert "harus mulai sesudah program prog-a berakhir" in page
    response = client.post(url, form)  # with its cohort: a background job (test_the_renewal_with_its_cohort_…)
    job = Job.objects.get(kind=Job.Kind.RENEWAL)
    assert response.url == reverse("job_detail", args=[job.pk])
    [done] = run_waiting_jobs()
    page = client.get(response.url).content.decode()
    assert "3 peserta dibawa" in page and "Kohort dibuat: 3 mendapat kursi dari 3; 3 tetap memakai KPJ" in page
    assert reverse("cohort", args=["prog-a-2026"]) in page  # the way on: the new programme's cohort
    assert Candidate.objects.filter(program__slug="prog-a-2026", status=CandidateStatus.TERDAFTAR).count() == 3
    # Without the cohort the roster is carried in the request, as before.
    response = client.post(url, {**form, "slug": "prog-a-2026-b", "kohort": ""}, follow=True)
    assert "3 peserta dibawa, 0 tidak dibawa" in response.content.decode()
    assert Candidate.objects.filter(program__slug="prog-a-2026-b", status=CandidateStatus.TERVERIFIKASI).count() == 3


@pytest.mark.django_db(transaction=True)  # the worker runs the job on its own connection
def test_the_renewal_with_its_cohort_runs_in_the_worker_and_the_page_follows_it(client, people, monkeypatch):
    monkeypatch.setattr(renewal, "ROSTER_PAGE", 1)  # the roster read and carried a page of one at a time
    # Peserta 1 is 66 on 1 January 2026; one more verified than the three seats.
    cohort, url, form = renewal_form(people, seats=2, first_born=1959, waiting=1)
    client.force_login(people.admin_a)
    assert "sudah dipakai" in client.post(url, {**form, "slug": "prog-b"}, follow=True).content.decode()  # told at once
    job_url = client.post(url, form).url
    job = Job.objects.get(kind=Job.Kind.RENEWAL)
    assert job_url == reverse("job_detail", args=[job.pk]) and not Program.objects.filter(slug="prog-a-2026").exists()
    assert client.post(url, form).url == job_url  # a second click while it waits: the same job
    assert client.get(reverse("job_status", args=[job.pk])).json()["running"] is True
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.message == ("Program Program prog-a 2026 dibuat: 2 peserta dibawa, 1 tidak dibawa karena melewati usia "
                           "maksimum. Kohort dibuat: 2 mendapat kursi dari 2; 2 tetap memakai KPJ tahun lalu (terdaftar).")
    new = Program.objects.get(slug="prog-a-2026")
    kpjs = sorted(new.cohorts.get().seated.values_list("kpj", flat=True))
    assert kpjs == ["21010000002", "21010000003"]
    # Someone else (the same Disnaker, or a colleague) may follow it; a programme's page links the way on.
    client.force_login(people.verifier_a)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404  # not Disnaker: not theirs
    # A refused renewal (the code taken meanwhile) writes nothing and says why on the job's page.
    client.force_login(people.admin_a)
    second_url = client.post(url, {**form, "slug": "prog-a-2027"}).url
    Program.objects.filter(slug="prog-a-2026").update(slug="prog-a-2027")  # another tab was quicker
    run_worker()
    second = Job.objects.get(pk=second_url.rstrip("/").split("/")[-1])
    assert second.state == Job.State.FAILED and second.message == "Kode program 'prog-a-2027' sudah dipakai."
    page = client.get(second_url).content.decode()
    assert "Tidak ada data yang berubah" in page and reverse("new_year", args=[cohort.program.slug]) in page
    assert Program.objects.count() == 3


def test_a_killed_renewal_job_is_recovered_and_the_form_works_again(client, people):
    cohort, url, form = renewal_form(people)
    client.force_login(people.admin_a)
    job_url = client.post(url, form).url
    Job.objects.filter(kind=Job.Kind.RENEWAL).update(state=Job.State.RUNNING,
                                                     heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert jobs.STOPPED_MESSAGE in client.get(job_url).content.decode()
    again = client.post(url, form).url
    assert again != job_url
    [done] = run_waiting_jobs()
    assert done.state == Job.State.DONE and Program.objects.filter(slug="prog-a-2026").exists()


def test_the_renewal_form_takes_the_pagu_and_code_as_people_write_them():
    from lindung.protection.forms import RenewalForm

    form = RenewalForm({"slug": "ppu-2026-kab", "pagu": "Rp 3.024.000.000", "mulai": "2026-01-01", "selesai": "2026-12-31"})
    assert form.is_valid() and form.cleaned_data["pagu"] == 3_024_000_000
    form = RenewalForm({"slug": "ppu 2026", "pagu": "3.024.000000", "mulai": "2026-01-01", "selesai": "2026-12-31"})
    assert not form.is_valid()
    assert form.errors["pagu"] == ["Tulis jumlah dalam rupiah penuh, mis. 201.600.000 (tanpa sen)."]
    assert form.errors["slug"][0].startswith("Kode program hanya boleh huruf")  # not Django's “slug”
