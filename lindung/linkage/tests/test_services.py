"""Matching in the application, with the real engine: duplicates kept once, R9 across programmes through a
fuzzy link, BPJS participants found under another spelling, decisions that survive re-runs."""

from datetime import date

import pytest
from django.urls import reverse

from lindung.accounts.models import AuditEntry, Role
from lindung.enrolment import services as enrolment
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.linkage import duplicates, services
from lindung.linkage.models import DuplicateMark, MatchPair, MatchRun
from lindung.linkage.tests.factories import BUDI, OTHERS, SITI, YUSUF, load, load_roster, run, verify_all
from lindung.test import KAB_A, make_program, make_user
from lindung.verification import services as verification

Kind, Status = MatchPair.Kind, MatchPair.Status


def pair_between(a: Candidate, b: Candidate) -> MatchPair:
    low, high = sorted((a.pk, b.pk))
    return MatchPair.objects.get(left_id=low, right_id=high)


def near_nik(pair: MatchPair) -> bool:
    """The engine saw two different NIKs a slip apart (its level names are its own business)."""
    return pair.evidence["nik"] not in {"sama", "kosong", "beda"}


def snapshot() -> set:
    return set(MatchPair.objects.values_list("kind", "left_id", "right_id", "participant_id", "score", "band", "status"))


# --- duplicates within one programme ---------------------------------------------------------------------


@pytest.fixture
def twice(people):
    """Budi entered twice in one programme: the second time with a mistyped NIK serial and in capitals."""
    program = people.program_a
    budi, *_, again = load(program, people.operator_a, [BUDI, SITI, *OTHERS, BUDI.but(nik="2102011708900007", nama="BUDI SANTOSO")])
    return program, budi, again


def test_a_person_entered_twice_forms_a_group_and_one_is_kept(people, twice):
    program, budi, again = twice
    done = run(people.admin_a)
    assert done.status == MatchRun.Status.DONE and done.candidates == 8 and done.pairs_found >= 1

    pair = pair_between(budi, again)
    assert (pair.kind, pair.band, pair.status) == (Kind.DUPLIKAT, MatchPair.Band.MATCH, Status.AUTO)
    assert near_nik(pair) and pair.evidence["tanggal_lahir"] == "sama"
    groups = duplicates.groups_for(program, Candidate.objects.filter(program=program))
    assert [sorted(c.pk for c in g.members) for g in groups] == [sorted([budi.pk, again.pk])]

    marked = duplicates.keep_one(kept=budi, others=[again], user=people.admin_a, note="dicek ke KK")
    again.refresh_from_db()
    assert marked == [again] and again.status == CandidateStatus.DUPLIKAT
    change = StatusChange.objects.get(candidate=again)
    assert (change.old, change.new, change.user) == (CandidateStatus.CALON, CandidateStatus.DUPLIKAT, people.admin_a)
    assert f"Duplikat dari Budi Santoso (calon #{budi.pk})" in change.reason and "dicek ke KK" in change.reason
    assert AuditEntry.objects.filter(model="imports.candidate", object_id=str(again.pk), new={"status": "duplikat"}).exists()
    # never verified, so never seated
    verify_all(program, people.operator_a)
    assert not verification.pending_for(people.operator_a, program).filter(pk=again.pk).exists()
    assert Candidate.objects.get(pk=budi.pk).status == CandidateStatus.TERVERIFIKASI
    assert not groups_are_open(program)


def groups_are_open(program) -> bool:
    return any(g.open for g in duplicates.groups_for(program, Candidate.objects.filter(program=program)))


def test_keeping_one_is_undone_only_with_a_reason(people, twice):
    program, budi, again = twice
    run(people.admin_a)
    duplicates.keep_one(kept=budi, others=[again], user=people.admin_a)
    mark = DuplicateMark.objects.get(candidate=again)
    with pytest.raises(duplicates.DuplicateError, match="alasan"):
        duplicates.undo(mark=mark, user=people.admin_a, alasan="  ")
    restored = duplicates.undo(mark=mark, user=people.operator_a, alasan="Ternyata kembar, KK dicek")
    assert restored.status == CandidateStatus.CALON
    mark.refresh_from_db()
    assert mark.undone_by == people.operator_a and mark.undo_alasan == "Ternyata kembar, KK dicek"
    assert StatusChange.objects.filter(candidate=again).count() == 2
    assert groups_are_open(program)


def test_a_candidate_holding_a_seat_is_not_set_aside_here(people, twice):
    program, budi, again = twice
    verify_all(program, people.operator_a)
    program.pagu = 10 * 2 * 16_800
    program.save()
    enrolment.form_cohort(program=program, user=people.admin_a)
    run(people.admin_a)
    with pytest.raises(duplicates.DuplicateError, match="sudah mendapat kursi"):
        duplicates.keep_one(kept=budi, others=[again], user=people.admin_a)
    assert Candidate.objects.get(pk=again.pk).status == CandidateStatus.TERVERIFIKASI


def test_someone_on_the_waiting_list_set_aside_as_duplicate_is_never_seated(people):
    program = people.program_a
    program.pagu = 1 * 2 * 16_800  # one seat
    program.save()
    budi, again, siti = load(program, people.operator_a, [BUDI, BUDI.but(nik="2102011708900007", nama="BUDI SANTOSO"), SITI])
    verify_all(program, people.operator_a)
    cohort = enrolment.form_cohort(program=program, user=people.admin_a, prioritas="urutan_daftar")
    assert [e.candidate for e in cohort.enrolments.order_by("urutan")] == [budi, again, siti]
    run(people.admin_a)
    duplicates.keep_one(kept=budi, others=[again], user=people.admin_a)  # waiting, not seated: allowed
    promoted = enrolment.release(cohort.seated.get(candidate=budi), user=people.admin_a, reason="Pindah ke Batam")
    assert [e.candidate for e in promoted] == [siti]  # next in line was the duplicate: skipped
    assert cohort.enrolments.get(candidate=again).state == Enrolment.State.WAITING


# --- R9 across programmes --------------------------------------------------------------------------------


def test_a_fuzzy_link_across_programmes_is_a_conflict_naming_both(people, client):
    """Yusuf in the kabupaten's and the province's lists; the province typed one digit of his NIK wrong."""
    kab = make_program("kab", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=10_000_000)
    prov = make_program("prov", "21", sumber_dana="apbd_provinsi", mulai=date(2025, 6, 1), selesai=date(2025, 12, 31),
                        pagu=10_000_000)
    provinsi = make_user("disnaker.kepri", Role.OPERATOR_DISNAKER, "21", first_name="Disnaker Kepri")
    (in_kab, *_) = load(kab, people.operator_a, [YUSUF, *OTHERS[:3]])
    (in_prov, *_) = load(prov, provinsi, [YUSUF.but(nik="2102011203850009"), SITI])
    verify_all(kab, people.operator_a)
    verify_all(prov, provinsi)
    enrolment.form_cohort(program=kab, user=people.admin_a)
    run(people.admin_a)

    pair = pair_between(in_kab, in_prov)
    assert (pair.kind, pair.status) == (Kind.LINTAS, Status.AUTO)
    cohort = enrolment.form_cohort(program=prov, user=provinsi)
    conflict = cohort.enrolments.get(candidate=in_prov)
    assert (conflict.state, conflict.conflict_program, conflict.conflict_candidate) == (Enrolment.State.CONFLICT, kab, in_kab)
    assert "pencocokan" in conflict.alasan
    assert enrolment.program_state(prov)["konflik"] == 1

    client.force_login(provinsi)
    page = client.get(f"/program/{prov.slug}/penetapan/", {"status": "konflik"}).content.decode()
    assert "Sudah mendapat kursi di Program kab" in page and "Muhammad Yusuf" in page
    client.force_login(people.admin_a)
    page = client.get(f"/program/{kab.slug}/penetapan/").content.decode()
    assert 'id="konflik-program-lain"' in page and "Program prov" in page


def test_a_pair_decided_different_is_no_conflict(people):
    kab = make_program("kab", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=10_000_000)
    prov = make_program("prov", "21", sumber_dana="apbd_provinsi", mulai=date(2025, 1, 1), selesai=date(2025, 12, 31),
                        pagu=10_000_000)
    provinsi = make_user("disnaker.kepri", Role.OPERATOR_DISNAKER, "21")
    (in_kab,) = load(kab, people.operator_a, [YUSUF])
    (in_prov,) = load(prov, provinsi, [YUSUF.but(nik="2102011203850009")])
    verify_all(kab, people.operator_a)
    verify_all(prov, provinsi)
    enrolment.form_cohort(program=kab, user=people.admin_a)
    run(people.admin_a)
    pair = pair_between(in_kab, in_prov)
    services.decide_pair(pair, version=pair.version, decision=Status.DIFFERENT, alasan="Kembar; dua KTP", user=people.admin_a)
    cohort = enrolment.form_cohort(program=prov, user=provinsi)
    assert cohort.enrolments.get(candidate=in_prov).state == Enrolment.State.SEATED


# --- R10: already BPJS participants ----------------------------------------------------------------------


def test_a_participant_under_another_spelling_and_a_transposed_nik_is_flagged(people):
    program = people.program_a
    yusuf, siti, *_ = load(program, people.operator_a, [YUSUF, SITI, *OTHERS])
    load_roster(program.pemda, people.admin_a, [
        "2102011203850040;M. YUSUF;12/03/1985;21099988877;BPU",   # NIK serial 0004 typed 0040
        "2102030303730303;Orang Lain;03/03/1973;21099988878;PU",
    ])
    yusuf.refresh_from_db()
    assert yusuf.bpjs_kpj == ""  # the exact-NIK check finds nothing
    done = run(people.admin_a)

    pair = MatchPair.objects.get(kind=Kind.BPJS, left=yusuf)
    assert near_nik(pair) and pair.participant.kpj == "21099988877"
    # A BPJS record carries only NIK, name and birth date, so whether the engine is sure (flag at once) or
    # leaves it to a reviewer (flag on *sama*) is its calibration's call; either way the candidate ends flagged.
    if pair.status == Status.OPEN:
        yusuf.refresh_from_db()
        assert yusuf.bpjs_kpj == "" and done.flagged == 0
        services.decide_pair(pair, version=pair.version, decision=Status.SAME, alasan="Tanggal lahir dan nama sama",
                             user=people.admin_a)
    else:
        assert pair.status == Status.AUTO and done.flagged == 1
    yusuf.refresh_from_db()
    assert (yusuf.bpjs_kpj, yusuf.bpjs_segmen) == ("21099988877", "BPU")
    assert AuditEntry.objects.filter(object_id=str(yusuf.pk), note__contains="sudah terdaftar BPJS").exists()
    verify_all(program, people.operator_a)
    cohort = enrolment.form_cohort(program=program, user=people.admin_a)
    assert not cohort.enrolments.filter(candidate=yusuf).exists()
    assert cohort.enrolments.filter(candidate=siti).exists()


def test_a_flag_lifted_when_the_reviewer_changes_their_mind(people):
    program = people.program_a
    yusuf, *_ = load(program, people.operator_a, [YUSUF, *OTHERS])
    load_roster(program.pemda, people.admin_a, ["2102011203850040;M. YUSUF;12/03/1985;21099988877;BPU"])
    run(people.admin_a)
    pair = MatchPair.objects.get(kind=Kind.BPJS, left=yusuf)
    services.decide_pair(pair, version=pair.version, decision=Status.SAME, alasan="Nama dan tanggal lahir sama", user=people.admin_a)
    yusuf.refresh_from_db()
    assert yusuf.bpjs_kpj == "21099988877"
    services.decide_pair(pair, version=pair.version, decision=Status.DIFFERENT, alasan="KPJ milik adiknya", user=people.admin_a)
    yusuf.refresh_from_db()
    assert yusuf.bpjs_kpj == "" and yusuf.bpjs_segmen == ""
    run(people.admin_a)  # the engine still finds the pair; the decision stands
    yusuf.refresh_from_db()
    assert yusuf.bpjs_kpj == "" and MatchPair.objects.get(pk=pair.pk).status == Status.DIFFERENT
    notes = list(AuditEntry.objects.filter(object_id=str(yusuf.pk), model="imports.candidate").values_list("note", flat=True))
    assert any("dicabut" in n for n in notes) and any("sudah terdaftar" in n for n in notes)


def test_a_candidate_on_the_roster_by_nik_stays_flagged_whatever_the_pair_says(people):
    program = people.program_a
    yusuf, *_ = load(program, people.operator_a, [YUSUF, *OTHERS])
    load_roster(program.pemda, people.admin_a, [f"{YUSUF.nik};MUHAMAD JUSUF;12/03/1985;21099988877;BPU"])
    run(people.admin_a)
    pair = MatchPair.objects.get(kind=Kind.BPJS, left=yusuf)
    services.decide_pair(pair, version=pair.version, decision=Status.DIFFERENT, alasan="salah klik", user=people.admin_a)
    yusuf.refresh_from_db()
    assert yusuf.bpjs_kpj == "21099988877"  # one NIK, one person: the roster says registered (R10)


def test_many_candidates_are_flagged_at_once_part_by_part(people, monkeypatch):
    """A province's roster flags tens of thousands in one run: asked in parts (services.PART), never in one
    IN (...) past SQLite's variable limit; here parts of one."""
    monkeypatch.setattr(services, "PART", 1)
    program = people.program_a
    yusuf, siti, *_ = load(program, people.operator_a, [YUSUF, SITI, *OTHERS])
    load_roster(program.pemda, people.admin_a, ["2102011203850040;M. YUSUF;12/03/1985;21099988877;BPU",
                                                "2102015505880020;SITI RAHMAWATI;15/05/1988;21099988879;PU"])
    run(people.admin_a)
    for pair in MatchPair.objects.filter(kind=Kind.BPJS, status=Status.OPEN):
        services.decide_pair(pair, version=pair.version, decision=Status.SAME, alasan="sama", user=people.admin_a)
    Candidate.objects.update(bpjs_kpj="", bpjs_segmen="")
    assert services.sync_bpjs_flags() == (2, 0)
    flags = dict(Candidate.objects.exclude(bpjs_kpj="").values_list("pk", "bpjs_kpj"))
    assert flags == {yusuf.pk: "21099988877", siti.pk: "21099988879"}


# --- re-runs ---------------------------------------------------------------------------------------------


def test_a_rerun_changes_nothing(people, twice):
    run(people.admin_a)
    before = snapshot()
    second = run(people.admin_a)
    assert snapshot() == before and second.pairs_new == 0 and second.pairs_removed == 0


def test_a_rerun_follows_the_engine_on_undecided_pairs_and_marks_them_found_by_it(people, twice):
    program, budi, again = twice
    first = run(people.admin_a)
    pair = pair_between(budi, again)
    assert pair.evidence["no_hp"] == "sama" and pair.run_id == first.pk
    others = set(MatchPair.objects.exclude(pk=pair.pk).values_list("pk", "score", "band", "evidence", "status"))
    Candidate.objects.filter(pk=again.pk).update(no_hp="")  # the phone no longer agrees: the engine's view changes
    second = run(people.admin_a)
    changed = MatchPair.objects.get(pk=pair.pk)
    assert changed.evidence["no_hp"] == "kosong" and changed.score != pair.score and changed.run_id == second.pk
    assert set(MatchPair.objects.exclude(pk=pair.pk).values_list("pk", "score", "band", "evidence", "status")) == others
    assert set(MatchPair.objects.values_list("run", flat=True)) == {second.pk}  # every pair still found, found again


def test_a_decision_survives_reruns_and_a_decided_pair_is_never_asked_again(people, twice):
    program, budi, again = twice
    run(people.admin_a)
    pair = pair_between(budi, again)
    services.decide_pair(pair, version=pair.version, decision=Status.DIFFERENT, alasan="Ayah dan anak, nama sama",
                         user=people.operator_a)
    # The second record's data is corrected so the engine no longer pairs them: an undecided pair would go,
    # the decided one stays exactly as decided.
    Candidate.objects.filter(pk=again.pk).update(nama="Andi Wijaya", tanggal_lahir=date(2001, 4, 9), nik="2102010904010007",
                                                 no_hp="", nama_ibu="Maryam")
    run(people.admin_a)
    kept = MatchPair.objects.get(pk=pair.pk)
    assert (kept.status, kept.alasan, kept.decided_by, kept.score) == (Status.DIFFERENT, "Ayah dan anak, nama sama",
                                                                       people.operator_a, pair.score)
    assert not MatchPair.objects.open().filter(left=budi).exists()


def test_an_undecided_pair_no_longer_found_is_removed(people, twice):
    program, budi, again = twice
    run(people.admin_a)
    Candidate.objects.filter(pk=again.pk).update(nama="Andi Wijaya", tanggal_lahir=date(2001, 4, 9), nik="2102010904010007",
                                                 no_hp="", nama_ibu="Maryam")
    done = run(people.admin_a)
    assert not MatchPair.objects.filter(left_id=min(budi.pk, again.pk), right_id=max(budi.pk, again.pk)).exists()
    assert done.pairs_removed >= 1


def test_a_stale_decision_is_refused_and_names_who_decided(people, twice):
    program, budi, again = twice
    run(people.admin_a)
    pair = pair_between(budi, again)
    seen = pair.version
    services.decide_pair(pair, version=seen, decision=Status.SAME, alasan="KK sama", user=people.operator_a)
    with pytest.raises(services.StalePair, match="sudah diputuskan «Orang yang sama» oleh Operator A"):
        services.decide_pair(pair, version=seen, decision=Status.DIFFERENT, alasan="beda", user=people.admin_a)
    with pytest.raises(services.PairError, match="alasan"):
        services.decide_pair(pair, version=pair.version, decision=Status.DIFFERENT, alasan=" ", user=people.admin_a)
    assert MatchPair.objects.get(pk=pair.pk).status == Status.SAME


# --- which pairs act without a person (issue 13) -----------------------------------------------------------


def test_only_pairs_in_the_auto_band_act_and_the_queue_puts_a_seat_at_stake_first(people):
    from lindung.linkage import records
    from lindung.matching.types import MATCH, MatchResult, Pair, Thresholds

    program = people.program_a
    program.pagu = 10 * 2 * 16_800
    program.save()
    budi, siti, *others = load(program, people.operator_a, [BUDI, SITI, *OTHERS])
    verify_all(program, people.operator_a)
    enrolment.form_cohort(program=program, user=people.admin_a)
    seated = Enrolment.objects.filter(state=Enrolment.State.SEATED).values_list("candidate_id", flat=True)
    new, late = load(program, people.operator_a, [BUDI.but(nik="2102010101700001", nama="Amat Lain", lahir=date(1970, 1, 1)),
                                                  BUDI.but(nik="2102010101700002", nama="Amin Lain", lahir=date(1970, 1, 1))])
    ids = lambda a, b: (records.candidate_id(a.pk), records.candidate_id(b.pk))  # noqa: E731
    sure_but_not_auto = Thresholds().auto - 0.02
    result = MatchResult(links=[], clusters={}, duplicates=[
        Pair(*ids(budi, siti), 0.999, MATCH, {}),                       # acts: a duplicate without review
        Pair(*ids(new, late), sure_but_not_auto, MATCH, {}),            # sure, yet below the auto band
        Pair(*ids(siti, others[1]), sure_but_not_auto, MATCH, {}),
    ])
    services.store_pairs(MatchRun.objects.create(), result)
    assert pair_between(budi, siti).status == Status.AUTO
    waiting = MatchPair.objects.filter(status=Status.OPEN)
    assert waiting.count() == 2 and all(p.band == MatchPair.Band.MATCH for p in waiting)
    # The queue: a pair touching a seated candidate before one that touches nobody's seat.
    first = waiting.by_stake().first()
    assert first.stake == 0 and {first.left_id, first.right_id} & set(seated)
    assert waiting.by_stake().last().stake > 0


def test_a_pair_made_sure_by_its_cluster_waits_for_a_reviewer_and_says_why(people, client):
    """The engine bands a possible pair inside one sure cluster a match (klaster segitiga) at its own, low
    score: below Thresholds.auto it never acts; the group stands on the pairs that do act, and the review
    page says in words why the pair is banded sure (no raw code)."""
    from lindung.linkage import records
    from lindung.matching.types import MATCH, MatchResult, Pair, Thresholds

    program = people.program_a
    budi, siti, yusuf = load(program, people.operator_a, [BUDI, SITI, YUSUF])
    a, b, c = (records.candidate_id(x.pk) for x in (budi, siti, yusuf))
    promoted = Pair(*sorted((a, c)), 0.5, MATCH, {"nama": "beda", "klaster": "segitiga"})
    assert promoted.score < Thresholds().auto
    result = MatchResult(links=[], clusters={}, duplicates=[
        Pair(*sorted((a, b)), 0.999, MATCH, {}), Pair(*sorted((b, c)), 0.999, MATCH, {}), promoted])
    services.store_pairs(MatchRun.objects.create(), result)
    pair = pair_between(budi, yusuf)
    assert (pair.band, pair.status) == (MatchPair.Band.MATCH, Status.OPEN)
    groups = duplicates.groups_for(program, Candidate.objects.filter(program=program))
    assert [sorted(m.pk for m in g.members) for g in groups] == [sorted([budi.pk, siti.pk, yusuf.pk])]
    client.force_login(people.admin_a)
    page = client.get(reverse("match_pair", args=[pair.pk])).content.decode()
    assert "kedua data sudah cocok pasti dengan data yang sama di kelompok ini" in page and "segitiga" not in page
