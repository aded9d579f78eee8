"""The same decision sent twice by the same verifier, and candidates deleted while a bulk decision runs.

A second click on *semua* (or the same ticked candidates sent again) must not be told that "another user"
decided them: it was the verifier's own earlier decision, and the message says so and when. A candidate
deleted between the bulk decision's read and its message is named, not a KeyError that rolls everything
back. Each runs on SQLite and on PostgreSQL."""

import threading

import pytest
from django.db import connection

from lindung.background.tests.test_jobs import queue  # noqa: F401 (fixture)
from lindung.imports.models import Candidate, CandidateStatus
from lindung.verification import services

worker = pytest.mark.django_db(transaction=True)


@pytest.mark.django_db
def test_a_candidate_deleted_since_it_was_read_is_named_not_a_key_error(people, queue):  # noqa: F811
    gone = Candidate.objects.order_by("pk").first()
    row = services._Row(gone.pk, gone.version, gone.status, gone.level_index, gone.program_id, gone.nama, gone.desa_id)
    other = Candidate.objects.order_by("pk").last()
    services.decide(candidate=other, version=other.version, decision="layak", user=people.admin_a)
    other_row = services._Row(other.pk, 0, "calon", 0, other.program_id, other.nama, other.desa_id)
    gone.delete()
    assert services.lost_messages([row, other_row]) == [
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
