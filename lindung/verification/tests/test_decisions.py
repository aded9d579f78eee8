"""Verification routed by area and level: scoping, single and bulk decisions, optimistic locking."""

import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection

from lindung.imports import services as import_services
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.imports.tests.test_flow import GOOD, upload, xlsx_bytes
from lindung.verification import services
from lindung.verification.models import Decision, VerificationDecision


@pytest.fixture
def listed(people):
    program = people.program_a
    program.tingkat_verifikasi = ["rt_rw", "desa", "dinsos"]
    program.save()
    import_services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    return program


def rudi():
    return Candidate.objects.get(nama="Rudi Hartono")  # lives in Kelurahan Moro, people.desa_a's desa


def test_each_level_sees_only_its_own_queue_in_its_own_area(people, listed):
    assert list(services.pending_for(people.desa_a, listed)) == [rudi()]  # their desa only
    assert services.pending_for(people.desa_a2, listed).count() == 0  # Desa Pauh has nobody
    assert services.pending_for(people.verifier_a, listed).count() == 0  # nothing reached Dinas Sosial yet
    assert services.pending_for(people.outsider, listed).count() == 0
    assert services.pending_for(people.bpkad_a, listed).count() == 0


def test_a_candidate_moves_up_one_level_per_decision(people, listed):
    candidate = rudi()
    services.decide(candidate=candidate, version=candidate.version, decision=Decision.LAYAK, user=people.desa_a)
    services.decide(candidate=candidate, version=candidate.version, decision=Decision.LAYAK, user=people.desa_a)
    assert candidate.level_index == 2 and candidate.status == CandidateStatus.CALON
    assert services.pending_for(people.verifier_a, listed).get() == candidate
    with pytest.raises(PermissionDenied):
        services.decide(candidate=candidate, version=candidate.version, decision=Decision.LAYAK, user=people.desa_a)
    services.decide(candidate=candidate, version=candidate.version, decision=Decision.LAYAK, user=people.verifier_a)
    assert candidate.status == CandidateStatus.TERVERIFIKASI
    levels = list(VerificationDecision.objects.filter(candidate=candidate).values_list("level", "verifier__username"))
    assert levels == [("rt_rw", "desa.a"), ("desa", "desa.a"), ("dinsos", "dinsos.a")]
    change = StatusChange.objects.get(candidate=candidate)
    assert (change.old, change.new, change.user) == ("calon", "terverifikasi", people.verifier_a)


def test_tidak_layak_needs_a_reason_and_stops_the_candidate(people, listed):
    candidate = rudi()
    with pytest.raises(services.DecisionError):
        services.decide(candidate=candidate, version=candidate.version, decision=Decision.TIDAK_LAYAK, user=people.desa_a)
    services.decide(candidate=candidate, version=candidate.version, decision=Decision.TIDAK_LAYAK, reason="pindah",
                    note="Pindah ke Batam sejak Agustus", user=people.desa_a)
    assert candidate.status == CandidateStatus.TIDAK_LAYAK
    assert "Pindah domisili" in StatusChange.objects.get(candidate=candidate).reason
    assert services.pending_for(people.desa_a, listed).count() == 0


def test_two_verifiers_at_once_one_wins_and_the_other_is_told(people, listed):
    seen_by_first = rudi()
    seen_by_second = rudi()  # both opened the page at the same version
    services.decide(candidate=seen_by_first, version=seen_by_first.version, decision=Decision.LAYAK, user=people.desa_a)
    with pytest.raises(services.StaleDecision, match="sudah diputuskan layak oleh Desa A"):
        services.decide(candidate=seen_by_second, version=seen_by_second.version, decision=Decision.TIDAK_LAYAK,
                        reason="meninggal", user=people.desa_a)
    assert VerificationDecision.objects.count() == 1
    assert rudi().status == CandidateStatus.CALON and rudi().level_index == 1


def test_bulk_decisions_decide_every_pending_candidate_and_name_the_stale(people, listed):
    queue = list(services.pending_for(people.operator_a, listed))  # Disnaker is not a level here
    assert queue == []
    people.program_a.tingkat_verifikasi = ["disnaker"]
    people.program_a.save()
    queue = list(services.pending_for(people.operator_a, listed))
    assert len(queue) == 3
    stale = queue[0]
    fresh = Candidate.objects.get(pk=stale.pk)
    services.decide(candidate=fresh, version=fresh.version, decision=Decision.LAYAK, user=people.admin_a)
    result = services.decide_bulk(candidates=queue, decision=Decision.LAYAK, user=people.operator_a)
    assert result.decided == 2 and result.stale == [stale.nama]
    assert Candidate.objects.filter(status=CandidateStatus.TERVERIFIKASI).count() == 3



@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("given", ["objects", "rows read by chosen_pending"])
def test_a_candidate_decided_elsewhere_while_a_bulk_decision_runs_is_named_not_overwritten(people, listed, given):
    """*Semua* reads the queue without locking it; someone deciding one of its candidates after that read
    and before the write wins, and the bulk decision names them instead of writing over their decision.
    Given the rows chosen_pending read (the job's *semua*), PostgreSQL does not read them again: the UPDATE's
    own check is the only one."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: the bulk decision holds the write lock from its first read; nobody decides in between")
    people.program_a.tingkat_verifikasi = ["disnaker"]
    people.program_a.save()
    pending = services.pending_for(people.operator_a, listed)
    queue = list(pending) if given == "objects" else services.chosen_pending(pending)
    rival, failed = Candidate.objects.get(pk=sorted(queue, key=lambda c: (c.desa_id, c.nama, c.pk))[1].pk), []
    seen_version = rival.version

    def decide_elsewhere():  # another verifier, on another connection, committed at once
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")  # a locked row would wait for the bulk decision
            seen = Candidate.objects.get(pk=rival.pk)
            services.decide(candidate=seen, version=seen.version, decision=Decision.TIDAK_LAYAK, reason="meninggal",
                            user=people.admin_a)
        except Exception as exc:
            failed.append(exc)
        finally:
            connection.close()

    def between_read_and_write(done=0, total=0, text=""):
        if text == "Menyimpan keputusan":
            other = threading.Thread(target=decide_elsewhere)
            other.start()
            other.join()

    result = services.decide_bulk(candidates=queue, decision=Decision.LAYAK, user=people.operator_a,
                                  progress=between_read_and_write)
    assert failed == []
    assert result.decided == 2 and result.stale == [rival.nama]
    assert result.stale_messages == [f"{rival.nama} sudah diputuskan tidak layak oleh Admin A pada tingkat "
                                     "Disnaker. Keputusan Anda tidak disimpan; muat ulang halaman."]
    rival.refresh_from_db()
    assert rival.status == CandidateStatus.TIDAK_LAYAK and rival.version == seen_version + 1
    assert list(VerificationDecision.objects.filter(candidate=rival).values_list("decision", flat=True)) == ["tidak_layak"]
    assert list(StatusChange.objects.filter(candidate=rival).values_list("new", flat=True)) == ["tidak_layak"]
    assert Candidate.objects.filter(status=CandidateStatus.TERVERIFIKASI).count() == 2

def test_progress_counts_each_level(people, listed):
    candidate = rudi()
    services.decide(candidate=candidate, version=candidate.version, decision=Decision.TIDAK_LAYAK, reason="meninggal", user=people.desa_a)
    progress = {row["code"]: row for row in services.progress(listed)}
    assert progress["rt_rw"] == {"code": "rt_rw", "label": "RT/RW", "layak": 0, "tidak_layak": 1, "menunggu": 2}
    by_desa = {row["desa_id"]: row for row in services.progress_by_desa(listed)}
    assert by_desa["21.02.01.1003"]["tidak_layak"] == 1
