"""A verifier who decides two levels sends *semua* again after the first decision finished.

A desa operator decides RT/RW and desa (a superuser every level). Their queue shows the candidates waiting
at either; *semua layak* moves the RT/RW ones to the desa level, where they wait for the same operator. The
same form sent again (a second click after the first answer, the browser's resend, a second tab) decided
them at the desa level too: two levels decided by one click, the second never seen. The form now carries
what the page showed; only those candidates at those levels are decided, and otherwise nothing, with who
decided them at that level and when. Runs on SQLite and on PostgreSQL."""

import pytest
from django.urls import reverse

from lindung.background import runner
from lindung.background.models import Job
from lindung.background.tests.helpers import run_worker
from lindung.imports.models import Candidate
from lindung.registry.models import Person
from lindung.test import DESA_A
from lindung.verification import services
from lindung.verification import views as verification_views
from lindung.verification.models import VerificationDecision
from lindung.verification.tests.helpers import semua, shown_fields


def _candidate(program, nama: str, serial: int, level: int = 0) -> Candidate:
    nik = f"210201170890{serial:04d}"
    person = Person.objects.create(nik=nik, nama=nama)
    return Candidate.objects.create(program=program, person=person, desa_id=DESA_A, nik=nik, nama=nama,
                                    pekerjaan="nelayan", level_index=level)


@pytest.fixture
def two_levels(people):
    """Three candidates of Desa A waiting at RT/RW; the desa operator decides RT/RW and desa."""
    program = people.program_a
    program.tingkat_verifikasi = ["rt_rw", "desa", "dinsos"]
    program.save()
    for serial, nama in enumerate(["Ani", "Bambang", "Budi"], start=1):
        _candidate(program, nama, serial)
    return program


def _levels() -> list[tuple[str, int]]:
    return sorted(VerificationDecision.objects.values_list("candidate__nama", "level"))


@pytest.mark.django_db
def test_semua_sent_again_after_it_finished_does_not_decide_the_next_level(client, people, two_levels):
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    data = semua(client, url)
    assert data["tingkat"] == "rt_rw"
    client.post(url, data)
    assert set(Candidate.objects.values_list("level_index", flat=True)) == {1}  # all waiting at the desa level
    page = client.post(url, data, follow=True).content.decode()
    assert _levels() == [("Ani", "rt_rw"), ("Bambang", "rt_rw"), ("Budi", "rt_rw")]  # the desa level untouched
    at = VerificationDecision.objects.latest("decided_at").decided_at
    assert ("Calon yang ditampilkan halaman Anda di tingkat RT/RW sudah diputuskan pada tingkat itu oleh Anda sendiri "
            f"lewat keputusan Anda sebelumnya ({services.when(at)}). Tidak ada yang diputuskan, juga tidak di tingkat "
            "berikutnya; muat ulang halaman untuk melihat antrean sekarang.") in page
    # The page drawn now shows the desa level: its semua decides that one.
    again = semua(client, url)
    assert again["tingkat"] == "desa"
    client.post(url, again)
    assert [level for _nama, level in _levels()].count("desa") == 3


@pytest.mark.django_db
def test_a_page_showing_both_levels_decides_only_what_it_showed(client, people, two_levels):
    """Ani was already at the desa level: the page shows both. Its *semua* moves Ani on (to Dinas Sosial) and
    Bambang and Budi to the desa level; sent again, it decides none, though both are the operator's levels."""
    Candidate.objects.filter(nama="Ani").update(level_index=1)
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    data = semua(client, url)
    assert data["tingkat"] == "rt_rw,desa"
    client.post(url, data)
    assert _levels() == [("Ani", "desa"), ("Bambang", "rt_rw"), ("Budi", "rt_rw")]
    page = client.post(url, data, follow=True).content.decode()
    assert _levels() == [("Ani", "desa"), ("Bambang", "rt_rw"), ("Budi", "rt_rw")]
    assert "di tingkat RT/RW dan Desa/kelurahan sudah diputuskan pada tingkat itu oleh Anda sendiri" in page


@pytest.mark.django_db
def test_someone_elses_decision_at_the_pages_level_is_named(client, people, two_levels):
    """A superuser decides every level; the desa operator decided the page's RT/RW candidates first."""
    people.admin_a.is_superuser = True
    people.admin_a.save()
    client.force_login(people.admin_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    data = semua(client, url)
    assert data["tingkat"] == "rt_rw"
    for candidate in Candidate.objects.all():
        services.decide(candidate=candidate, version=candidate.version, decision="layak", user=people.desa_a)
    page = client.post(url, data, follow=True).content.decode()
    assert set(Candidate.objects.values_list("level_index", flat=True)) == {1}  # not moved on to Dinas Sosial
    at = VerificationDecision.objects.latest("decided_at").decided_at
    assert (f"di tingkat RT/RW sudah diputuskan pada tingkat itu, terakhir oleh Desa A ({services.when(at)})."
            in page)


@pytest.mark.django_db
def test_a_candidate_imported_after_the_page_was_drawn_is_not_in_its_semua(client, people, two_levels):
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    data = semua(client, url)
    late = _candidate(two_levels, "Citra", 9)
    client.post(url, data)
    late.refresh_from_db()
    assert late.level_index == 0 and not late.decisions.exists()
    assert VerificationDecision.objects.count() == 3


@pytest.mark.django_db
def test_semua_without_the_pages_queue_decides_nothing(client, people, two_levels):
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    page = client.post(url, {"keputusan": "layak", "semua": "on"}, follow=True).content.decode()
    assert "Halaman ini tidak menyebut calon mana yang ditampilkannya" in page
    bad = client.post(url, {**semua(client, url), "antrean": "x.1"}, follow=True).content.decode()
    assert "Halaman ini tidak menyebut" in bad and not VerificationDecision.objects.exists()


@pytest.mark.django_db
def test_ticked_candidates_sent_again_are_not_decided_at_the_next_level(client, people, two_levels):
    """The ticked form (and the API's single decision) name the version seen: already safe, kept so."""
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    seen = [f"{c.pk}:{c.version}" for c in Candidate.objects.all()]
    client.post(url, {"keputusan": "layak", "calon": seen})
    page = client.post(url, {"keputusan": "layak", "calon": seen}, follow=True).content.decode()
    assert [level for _nama, level in _levels()] == ["rt_rw"] * 3
    assert "sudah Anda putuskan sendiri layak pada tingkat RT/RW" in page


@pytest.mark.django_db(transaction=True)
def test_semua_in_the_background_sent_again_after_it_finished_decides_nothing(client, people, two_levels,
                                                                                monkeypatch):
    monkeypatch.setattr(verification_views, "SYNC_LIMIT", 2)
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=[two_levels.slug])
    data = semua(client, url)
    client.post(url, data)
    first = Job.objects.get()
    assert first.params["tingkat"] == ["rt_rw"]
    run_worker()
    page = client.post(url, data, follow=True).content.decode()  # nothing left to send to the worker
    assert "sudah diputuskan pada tingkat itu oleh Anda sendiri" in page and Job.objects.count() == 1
    # A second job over the same page's queue (e.g. sent with the desa filter before the first ran)
    second = runner.start(Job.Kind.DECIDE, program=two_levels, user=people.desa_a, params={**first.params, "desa": DESA_A})
    run_worker()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Job.State.DONE and second.state == Job.State.FAILED
    assert [level for _nama, level in _levels()] == ["rt_rw"] * 3
    assert second.message == (
        "Calon yang ditampilkan halaman Anda di tingkat RT/RW sudah diputuskan pada tingkat itu oleh Anda sendiri "
        f"lewat keputusan yang Anda kirim {services.when(first.created_at)} (selesai "
        f"{services.when(first.finished_at)}). Tidak ada yang diputuskan, juga tidak di tingkat berikutnya; muat "
        "ulang halaman untuk melihat antrean sekarang.")


def test_shown_fields_helper_reads_the_page(client, people, two_levels):
    client.force_login(people.desa_a)
    fields = shown_fields(client, reverse("verification_queue", args=[two_levels.slug]))
    assert fields["tingkat"] == "rt_rw" and fields["antrean"].endswith(f".{Candidate.objects.order_by('pk').last().pk}")
