"""The same decision sent twice by the same verifier, and candidates deleted while a bulk decision runs.

A second click on *semua* (or the same ticked candidates sent again) must not be told that "another user"
decided them: it was the verifier's own earlier decision, and the message says so and when. A candidate
deleted between the bulk decision's read and its message is named, not a KeyError that rolls everything
back. Each runs on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from lindung.background.models import Job
from lindung.background.tests.helpers import run_worker
from lindung.background.tests.test_jobs import queue  # noqa: F401 (fixture)
from lindung.imports.models import Candidate, CandidateStatus
from lindung.verification import services
from lindung.verification import views as verification_views
from lindung.verification.models import VerificationDecision
from lindung.verification.tests.helpers import semua

worker = pytest.mark.django_db(transaction=True)


@worker
def test_semua_sent_again_while_the_first_is_queued_goes_to_the_first_job(client, people, queue, monkeypatch):  # noqa: F811
    monkeypatch.setattr(verification_views, "SYNC_LIMIT", 3)
    client.force_login(people.operator_a)
    url = reverse("verification_queue", args=[queue.slug])
    data = semua(client, url)
    first = client.post(url, data)
    again = client.post(url, data, follow=True)
    job = Job.objects.get()  # one job, never a second over the same people
    assert first.url == reverse("job_detail", args=[job.pk]) and again.redirect_chain[-1][0] == first.url
    page = again.content.decode()
    assert f"yang Anda kirim {services.when(job.created_at)} masih menunggu giliran" in page
    assert "keputusan kedua tidak dikirim" in page and "pengguna lain" not in page
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and VerificationDecision.objects.count() == 6


@worker
def test_the_same_candidates_sent_twice_are_told_it_was_their_own_decision(client, people, queue, monkeypatch):  # noqa: F811
    """The second submission was read before the first was saved (two tabs; the ticked versions): both are
    queued, the first decides all six, the second finds them decided by the same verifier."""
    monkeypatch.setattr(verification_views, "SYNC_LIMIT", 3)
    seen = [f"{c.pk}:{c.version}" for c in Candidate.objects.order_by("pk")]
    client.force_login(people.operator_a)
    url = reverse("verification_queue", args=[queue.slug])
    client.post(url, semua(client, url))
    client.post(url, {"keputusan": "layak", "calon": seen})
    run_worker()
    first, second = Job.objects.order_by("pk")
    assert first.state == Job.State.DONE and second.state == Job.State.FAILED
    text = " ".join([second.message, *second.details])
    assert "pengguna lain" not in text and "oleh Operator A" not in text
    assert "sudah Anda putuskan sendiri layak pada tingkat Disnaker" in text
    decided = VerificationDecision.objects.latest("decided_at").decided_at
    assert services.when(decided) in text
    assert VerificationDecision.objects.count() == 6  # each decided once


@worker
def test_a_second_semua_job_finding_nothing_left_names_the_first_job(people, queue):  # noqa: F811
    """Two *semua* jobs of the same verifier queued (e.g. one per desa filter and one for all): the second
    finds nothing pending and names the first, when it was sent and when it finished."""
    from lindung.background import runner

    first = runner.start(Job.Kind.DECIDE, program=queue, user=people.operator_a,
                         params={"semua": True, "desa": "", "keputusan": "layak"})
    second = runner.start(Job.Kind.DECIDE, program=queue, user=people.operator_a,
                          params={"semua": True, "desa": "", "keputusan": "layak"})
    run_worker()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == Job.State.DONE and second.state == Job.State.FAILED
    assert second.message == (
        "Tidak ada lagi calon yang menunggu keputusan Anda: semuanya sudah Anda putuskan sendiri lewat keputusan "
        f"yang Anda kirim {services.when(first.created_at)} (selesai {services.when(first.finished_at)}). "
        "Keputusan ini tidak disimpan dua kali.")


@pytest.mark.django_db
def test_a_bulk_decision_lost_to_the_users_own_earlier_one_says_so_with_when(people, queue):  # noqa: F811
    """Two requests (a double click) each read the queue before the other saved: the second decides none."""
    chosen = services.chosen_pending(services.pending_for(people.operator_a, queue))
    services.decide_bulk(candidates=chosen, decision="layak", user=people.operator_a)
    second = services.decide_bulk(candidates=chosen, decision="layak", user=people.operator_a)
    at = VerificationDecision.objects.latest("decided_at").decided_at
    assert (second.decided, second.own, second.own_at) == (0, 6, at)
    message = services.nothing_decided_message(second)
    assert message == (f"Tidak ada calon yang diputuskan: semuanya sudah Anda putuskan sendiri lewat keputusan Anda "
                       f"sebelumnya ({services.when(at)}). Keputusan ini tidak disimpan dua kali.")
    lines = services.stale_summary(second)
    assert len(lines) == 6 and all("sudah Anda putuskan sendiri layak" in line for line in lines)
    # Someone else's decision is still someone else's.
    third = services.decide_bulk(candidates=chosen, decision="layak", user=people.admin_a)
    assert third.own == 0 and all("oleh Operator A" in line for line in services.stale_summary(third))
    assert services.nothing_decided_message(third).endswith("sudah diputuskan pengguna lain.")


@pytest.mark.django_db
def test_semua_with_nothing_left_after_the_users_own_decision_says_it_was_theirs(client, people, queue):  # noqa: F811
    client.force_login(people.operator_a)
    url = reverse("verification_queue", args=[queue.slug])
    data = semua(client, url)
    client.post(url, data)
    page = client.post(url, data, follow=True).content.decode()
    at = VerificationDecision.objects.latest("decided_at").decided_at
    assert ("Calon yang ditampilkan halaman Anda di tingkat Disnaker sudah diputuskan pada tingkat itu oleh Anda "
            f"sendiri lewat keputusan Anda sebelumnya ({services.when(at)})") in page


@pytest.mark.django_db
def test_a_candidate_deleted_since_it_was_read_is_named_not_a_key_error(people, queue):  # noqa: F811
    gone = Candidate.objects.order_by("pk").first()
    row = services.CandidateRow(gone.pk, gone.version, gone.status, gone.level_index, gone.program_id, gone.nama, gone.desa_id)
    other = Candidate.objects.order_by("pk").last()
    services.decide(candidate=other, version=other.version, decision="layak", user=people.admin_a)
    other_row = services.CandidateRow(other.pk, 0, "calon", 0, other.program_id, other.nama, other.desa_id)
    gone.delete()
    assert services.lost_messages([row, other_row], people.operator_a) == [
        f"{gone.nama} sudah dihapus dari daftar calon sejak dibaca; tidak diputuskan.",
        f"{other.nama} sudah diputuskan layak oleh Admin A pada tingkat Disnaker. Keputusan Anda tidak disimpan; "
        "muat ulang halaman."]


@worker
def test_a_candidate_deleted_by_another_session_during_a_bulk_decision_is_named(people, queue):  # noqa: F811
    """PostgreSQL: the bulk decision does not lock what it read, so another session can delete a candidate
    before the UPDATE; the decision goes on without it and says so. (SQLite holds the write lock from the
    transaction's start: no other session can delete meanwhile.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the bulk decision's transaction holds the write lock, nobody deletes meanwhile")
    victim = Candidate.objects.order_by("pk").first()

    def delete_elsewhere():
        try:
            Candidate.objects.filter(pk=victim.pk).delete()
        finally:
            connection.close()

    def progress(text=None, **_kw):
        if text == "Menyimpan keputusan":  # read done, nothing written yet
            thread = threading.Thread(target=delete_elsewhere)
            thread.start()
            thread.join()

    chosen = services.chosen_pending(services.pending_for(people.operator_a, queue))
    result = services.decide_bulk(candidates=chosen, decision="layak", user=people.operator_a, progress=progress)
    assert result.decided == 5 and result.stale == [victim.nama]
    assert result.stale_messages == [f"{victim.nama} sudah dihapus dari daftar calon sejak dibaca; tidak diputuskan."]
    assert Candidate.objects.filter(status=CandidateStatus.TERVERIFIKASI).count() == 5
