"""Issue 18: pages and operations whose cost must not grow with the programme (a province, ~1.000.000 calon).

No timings here (bench/scale has them): these test what the fixes do — every row once through keyset
pages, searches routed by the input's shape, "semua" past SQLite's variable limit, an import that reads
only its own NIKs."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from django.db import connection
from django.urls import reverse

from lindung.imports import services as import_services
from lindung.imports.models import Candidate, CandidateStatus
from lindung.imports.tests.test_flow import GOOD, upload, xlsx_bytes
from lindung.lib.bulk import insert_many
from lindung.lib.keyset import bounded_count, decode_cursor, distinct_values, encode_cursor, keyset_page
from lindung.registry.models import Person
from lindung.verification import services as verification

DESA = ["21.02.01.1003", "21.02.01.2004", "21.02.03.1001"]


def _bulk_candidates(program, n: int, *, start: int = 0, names=("BUDI", "SITI", "AGUS"), level_index: int = 0) -> None:
    """n candidates straight into the tables (as bench/scale/load_data.py does), with repeated names so
    the keyset has ties to break."""
    now = datetime.now(timezone.utc)
    niks = [f"2102{i:012d}" for i in range(start, start + n)]
    insert_many(Person, ("nik", "nama", "created_at", "updated_at"), ((nik, "X", now, now) for nik in niks))
    ids = dict(Person.objects.filter(nik__startswith="2102").values_list("nik", "pk"))
    insert_many(Candidate, ("program", "person", "desa", "nik", "nama", "pekerjaan", "status", "level_index",
                            "created_at", "updated_at"),
                ((program.pk, ids[nik], DESA[i % 3], nik, f"{names[i % len(names)]} {i % 7}", "petani",
                  CandidateStatus.CALON, level_index, now, now) for i, nik in enumerate(niks)))


def _walk(client, url: str, params: dict, *, key: str = "setelah") -> list[str]:
    """Follow the 'berikutnya' links to the end; the candidate links seen, in order."""
    import re

    seen, cursor = [], None
    for _ in range(100):
        response = client.get(url, {**params, **({key: cursor} if cursor else {})})
        body = response.content.decode()
        seen += re.findall(r'href="/calon/(\d+)/"', body)
        found = re.search(r'setelah=([A-Za-z0-9_-]+)">berikutnya', body)
        if not found:
            return seen
        cursor = found.group(1)
    raise AssertionError("tidak selesai")


def test_it_pages_every_candidate_exactly_once_by_keyset(client, people):
    program = people.program_a
    _bulk_candidates(program, 173)
    client.force_login(people.operator_a)
    seen = _walk(client, reverse("candidate_list", args=[program.slug]), {})
    expected = list(Candidate.objects.filter(program=program).order_by("desa_id", "nama", "pk").values_list("pk", flat=True))
    assert [int(pk) for pk in seen] == expected  # every row once, in list order, ties broken by id


def test_it_pages_backwards_to_the_same_rows(people):
    program = people.program_a
    _bulk_candidates(program, 120)
    qs, order = Candidate.objects.filter(program=program), ["desa_id", "nama", "pk"]
    first = keyset_page(qs, order, size=50)
    second = keyset_page(qs, order, after_cursor=first.next_cursor, size=50)
    back = keyset_page(qs, order, before_cursor=second.previous_cursor, size=50)
    assert [c.pk for c in back] == [c.pk for c in first] and back.first and not second.first


def test_a_tampered_cursor_shows_the_first_page(people):
    assert decode_cursor("bukan-kursor", 3) is None and decode_cursor(encode_cursor(("a", 1)), 3) is None
    assert decode_cursor(encode_cursor(("21.02", "BUDI", 7)), 3) == ("21.02", "BUDI", 7)


def test_the_count_stops_at_its_limit(people):
    program = people.program_a
    _bulk_candidates(program, 30)
    assert bounded_count(Candidate.objects.filter(program=program), limit=10) == (10, False)
    assert bounded_count(Candidate.objects.filter(program=program), limit=100) == (30, True)


def test_the_list_says_more_than_the_limit(client, people, monkeypatch):
    from lindung.lib import keyset

    monkeypatch.setattr(keyset, "COUNT_LIMIT", 10)  # a setting, not our code's behaviour: the limit itself
    _bulk_candidates(people.program_a, 30)
    client.force_login(people.operator_a)
    body = client.get(reverse("candidate_list", args=[people.program_a.slug])).content.decode()
    assert "Lebih dari 10 calon peserta" in body


def test_filter_choices_come_from_a_loose_index_scan(people):
    _bulk_candidates(people.program_a, 60)
    assert distinct_values(Candidate, "desa", where={"program": people.program_a.pk}) == sorted(DESA)
    assert distinct_values(Candidate, "desa", where={"program": people.program_a.pk}, limit=2) == sorted(DESA)[:2]
    assert distinct_values(Candidate, "desa", where={"program": people.program_b.pk}) == []


def test_a_province_s_desa_are_counted_past_the_limit_once_and_a_list_that_fits_on_every_page(client, people, monkeypatch):
    """More desa than the dropdown takes: the filter is a kode field, and the loose scan that found that out is
    not repeated on the next pages (one index seek per desa: 1.001 at a province). A list that fits is scanned
    on every page, so a new desa shows at once."""
    from django.core.cache import cache

    from lindung.programs import views

    cache.clear()
    monkeypatch.setattr(views, "DESA_CHOICES_LIMIT", 3)  # the limit itself, not our code's behaviour
    client.force_login(people.operator_a)
    url = reverse("candidate_list", args=[people.program_a.slug])
    _bulk_candidates(people.program_a, 6)
    for _ in range(2):
        body, scans = _recursive_scans(client, url)
        assert '<select id="desa"' in body and body.count('<option value="21.02.') == 3 and scans == 1
    Candidate.objects.filter(pk=Candidate.objects.filter(program=people.program_a).order_by("pk")[0].pk).update(
        desa_id="21.02.04.1001")
    body, scans = _recursive_scans(client, url)
    assert 'placeholder="kode' in body and scans == 1
    body, scans = _recursive_scans(client, url)
    assert 'placeholder="kode' in body and scans == 0
    cache.clear()


def _recursive_scans(client, url) -> tuple[str, int]:
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: (queries.append(sql), execute(sql, *args))[1]):
        body = client.get(url).content.decode()
    return body, sum(1 for q in queries if "WITH RECURSIVE" in q and '"desa_id"' in q)


def _page_and_queries(client, url, params) -> tuple[str, list[str]]:
    """The page's body and every SQL statement it ran."""
    queries = []

    def record(execute, sql, sql_params, many, context):
        queries.append(sql)
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(record):
        body = client.get(url, params).content.decode()
    return body, queries


def _select_sql(client, url, params) -> list[str]:
    body, queries = _page_and_queries(client, url, params)
    return body, [q for q in queries if 'FROM "imports_candidate"' in q and "LIMIT" in q]


def test_a_16_digit_search_is_an_exact_nik_lookup_and_text_a_name_prefix(client, people):
    program = people.program_a
    _bulk_candidates(program, 40, names=("BUDI SANTOSO", "SITI AMINAH"))
    target = Candidate.objects.filter(program=program).order_by("pk")[5]
    client.force_login(people.operator_a)
    url = reverse("candidate_list", args=[program.slug])
    body, queries = _select_sql(client, url, {"q": target.nik})
    assert f"/calon/{target.pk}/" in body and body.count('href="/calon/') == 1
    assert any('"nik" = ' in q for q in queries) and not any("LIKE" in q.upper() for q in queries)
    body, queries = _select_sql(client, url, {"q": "siti ami"})
    assert body.count('href="/calon/') == 20 and "BUDI" not in body
    assert any("UPPER" in q for q in queries) and not any('"nik" = ' in q for q in queries)
    assert client.get(url, {"q": "santoso"}).content.decode().count('href="/calon/') == 0  # a prefix, not a substring


def test_a_masked_role_gets_nothing_for_a_full_nik(client, people):
    _bulk_candidates(people.program_a, 5)
    nik = Candidate.objects.first().nik
    client.force_login(people.auditor_a)
    body = client.get(reverse("candidate_list", args=[people.program_a.slug]), {"q": nik}).content.decode()
    assert 'href="/calon/' not in body


@pytest.mark.django_db(transaction=True)  # the worker decides on its own connection
def test_deciding_semua_over_40000_candidates_works_on_sqlite(client, people):
    """SQLite refuses a statement with more than 32.766 variables; "semua" reads and updates in parts,
    in a background job (more than the request's SYNC_LIMIT)."""
    from lindung.background.tests.helpers import run_worker

    program = people.program_a
    dinsos = program.levels.index("dinsos")
    _bulk_candidates(program, 40_500, level_index=dinsos)
    client.force_login(people.verifier_a)
    from lindung.verification.tests.helpers import semua

    url = reverse("verification_queue", args=[program.slug])
    job_url = client.post(url, semua(client, url, catatan="")).url
    run_worker()
    assert "40.500 calon diputuskan" in client.get(job_url).content.decode()
    assert Candidate.objects.filter(program=program, level_index=dinsos + 1).count() == 40_500
    assert verification.VerificationDecision.objects.filter(level="dinsos").count() == 40_500


def test_an_import_reads_only_the_nik_of_its_file(people):
    """The same 3-row file costs the same queries into an empty programme and into one with 3.000 others."""
    program = people.program_a

    def commit_queries() -> int:
        batch = upload(program, people.operator_a, xlsx_bytes(GOOD))
        queries = []
        with connection.execute_wrapper(lambda ex, sql, p, many, ctx: (queries.append(sql), ex(sql, p, many, ctx))[1]):
            import_services.commit(batch, user=people.operator_a)
        Candidate.objects.filter(program=program, nik__in=[r[0] for r in GOOD]).delete()
        return len(queries), [q for q in queries if 'FROM "imports_candidate"' in q and '"nik" IN' not in q
                              and "source_batch_id" not in q]

    commit_queries()  # the persons exist from now on, as they will for the next two
    small, _ = commit_queries()
    _bulk_candidates(program, 3000, start=10**6)
    large, whole = commit_queries()
    assert small == large
    assert not [q for q in whole if "SELECT" in q and "WHERE" in q and q.count("AND") == 0 and '"program_id" =' in q]
    assert import_services._existing(program.pk, [GOOD[0][0], "2102000001000000"]).keys() == {"2102000001000000"}


def test_the_cohort_page_walks_every_seat_once_in_priority_order(client, people):
    """Keyset pages over (cohort, state, urutan); forming the cohort wrote every verified candidate once."""
    from lindung.enrolment import services as enrolment
    from lindung.enrolment.models import Enrolment

    program = people.program_a
    program.tingkat_verifikasi = ["disnaker"]
    program.pagu = 10**9
    program.save()
    _bulk_candidates(program, 230)
    Candidate.objects.filter(program=program).update(status=CandidateStatus.TERVERIFIKASI)
    cohort = enrolment.form_cohort(program=program, user=people.admin_a, prioritas="urutan_daftar")
    assert sorted(cohort.enrolments.values_list("urutan", flat=True)) == list(range(1, 231))
    client.force_login(people.operator_a)
    seen = _walk(client, reverse("cohort", args=[program.slug]), {"status": "kursi"})
    expected = list(Enrolment.objects.filter(cohort=cohort, state="kursi").order_by("urutan")
                    .values_list("candidate_id", flat=True))
    assert [int(pk) for pk in seen] == expected and len(expected) == 230


def test_the_decision_tally_follows_every_writer(people):
    """Triggers count decisions written by the ORM and by multi-row INSERT, and forget deleted ones."""
    from lindung.verification.models import Decision, VerificationDecision

    program = people.program_a
    _bulk_candidates(program, 30, level_index=program.levels.index("disnaker"))
    verification.decide_bulk(candidates=verification.pending_for(people.admin_a, program), decision=Decision.LAYAK,
                             user=people.admin_a)
    one = Candidate.objects.filter(program=program).first()
    VerificationDecision.objects.create(candidate=one, level="dinsos", decision=Decision.TIDAK_LAYAK, reason="")
    rows = {r["code"]: r for r in verification.progress(program)}
    exact = {r["code"]: r for r in verification.progress(program, Candidate.objects.filter(program=program))}
    assert rows == exact and rows["disnaker"]["layak"] == 30 and rows["dinsos"]["tidak_layak"] == 1
    VerificationDecision.objects.filter(candidate=one).delete()
    rows = {r["code"]: r for r in verification.progress(program)}
    assert rows["disnaker"]["layak"] == 29 and rows["dinsos"]["tidak_layak"] == 0


def test_the_warning_filter_finds_every_combination_holding_the_code_without_a_substring_scan(client, people):
    program = people.program_a
    _bulk_candidates(program, 12)
    by_pk = list(Candidate.objects.filter(program=program).order_by("pk"))
    codes = ["|no_hp_tidak_valid|", "|no_hp_tidak_valid||rt_rw_tidak_valid|", "|rt_rw_tidak_valid|", ""]
    for i, candidate in enumerate(by_pk):
        Candidate.objects.filter(pk=candidate.pk).update(problem_codes=codes[i % 4])
    url = reverse("candidate_list", args=[program.slug])
    client.force_login(people.operator_a)
    for code, wanted in (("no_hp_tidak_valid", {0, 1}), ("rt_rw_tidak_valid", {1, 2}), ("usia_lebih", set())):
        body, queries = _select_sql(client, url, {"masalah": code})
        shown = {int(pk) for pk in re.findall(r'href="/calon/(\d+)/"', body)}
        assert shown == {c.pk for i, c in enumerate(by_pk) if i % 4 in wanted}, code
        assert not any("LIKE" in q.upper() and "problem_codes" in q for q in queries)
    client.force_login(people.desa_a)  # one desa's rows: the substring filter over them
    body = client.get(url, {"masalah": "rt_rw_tidak_valid"}).content.decode()
    mine = {c.pk for i, c in enumerate(by_pk) if i % 4 in {1, 2} and c.desa_id == people.desa_a.membership.wilayah_id}
    assert {int(pk) for pk in re.findall(r'href="/calon/(\d+)/"', body)} == mine


def test_the_warning_filter_pages_every_match_once_across_combinations_and_back(client, people):
    program = people.program_a
    _bulk_candidates(program, 130)
    codes = ["|no_hp_tidak_valid|", "|no_hp_tidak_valid||rt_rw_tidak_valid|", "", "|rt_rw_tidak_valid|"]
    for i, pk in enumerate(Candidate.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)):
        Candidate.objects.filter(pk=pk).update(problem_codes=codes[i % 4])
    client.force_login(people.operator_a)
    url = reverse("candidate_list", args=[program.slug])
    seen = _walk(client, url, {"masalah": "no_hp_tidak_valid"})
    expected = list(Candidate.objects.filter(program=program, problem_codes__contains="|no_hp_tidak_valid|")
                    .order_by("problem_codes", "desa_id", "nama", "pk").values_list("pk", flat=True))
    assert [int(pk) for pk in seen] == expected and len(expected) == 66  # two pages: 50 + 16
    first = client.get(url, {"masalah": "no_hp_tidak_valid"}).content.decode()
    after = re.search(r'setelah=([A-Za-z0-9_-]+)">berikutnya', first).group(1)
    second = client.get(url, {"masalah": "no_hp_tidak_valid", "setelah": after}).content.decode()
    before = re.search(r'sebelum=([A-Za-z0-9_-]+)">‹ sebelumnya', second).group(1)
    back = client.get(url, {"masalah": "no_hp_tidak_valid", "sebelum": before}).content.decode()
    assert re.findall(r'href="/calon/(\d+)/"', back) == re.findall(r'href="/calon/(\d+)/"', first)


def _shown_count(body: str) -> tuple[int, bool]:
    """(count, exact) as the list says it: "66 calon peserta." or "Lebih dari 10.000 calon peserta."."""
    found = re.search(r"<p>(Lebih dari )?([\d.]+) calon peserta\.", body)
    return int(found.group(2).replace(".", "")), found.group(1) is None


def _counted_candidates(client, url, params) -> tuple[tuple[int, bool], list[str]]:
    """The count shown, and the COUNTs over the candidate table the page ran."""
    body, queries = _page_and_queries(client, url, params)
    return _shown_count(body), [q for q in queries if "COUNT(" in q.upper() and '"imports_candidate"' in q]


def test_the_warning_filter_total_is_the_tally_exact_past_the_count_limit_without_counting_rows(client, people, monkeypatch):
    """At 1M a code held 25.000 candidates and the page counted them up to the limit on every view (issue 18):
    now the total is the warning tally's sum over the combinations holding the code, alone or with a status;
    exact however many, and no COUNT of the candidates. Other filters with it still count (up to the limit)."""
    from lindung.lib import keyset

    program = people.program_a
    _bulk_candidates(program, 40)
    by_pk = list(Candidate.objects.filter(program=program).order_by("pk"))
    codes = ["|no_hp_tidak_valid|", "|no_hp_tidak_valid||rt_rw_tidak_valid|", "|rt_rw_tidak_valid|", ""]
    for i, candidate in enumerate(by_pk):
        Candidate.objects.filter(pk=candidate.pk).update(problem_codes=codes[i % 4],
                                                         status=CandidateStatus.TIDAK_LAYAK if i % 3 == 0 else "calon")
    monkeypatch.setattr(keyset, "COUNT_LIMIT", 5)  # every filter below matches more than 5
    client.force_login(people.operator_a)
    url = reverse("candidate_list", args=[program.slug])
    matches = Candidate.objects.filter(program=program)

    def real(code, **filters):
        return matches.filter(problem_codes__contains=f"|{code}|", **filters).count()

    assert (real("no_hp_tidak_valid"), real("rt_rw_tidak_valid"), real("no_hp_tidak_valid", status="calon")) == (20, 20, 13)
    for params, expected in (({"masalah": "no_hp_tidak_valid"}, real("no_hp_tidak_valid")),  # two combinations
                             ({"masalah": "rt_rw_tidak_valid"}, real("rt_rw_tidak_valid")),
                             ({"masalah": "no_hp_tidak_valid", "status": "calon"}, real("no_hp_tidak_valid", status="calon")),
                             ({"masalah": "no_hp_tidak_valid", "status": "aktif"}, 0),
                             ({"masalah": "usia_lebih"}, 0)):
        shown, counts = _counted_candidates(client, url, params)
        assert shown == (expected, True) and counts == [], params
    # With a desa or a name the tally cannot answer: the matches are counted, up to the limit.
    shown, counts = _counted_candidates(client, url, {"masalah": "no_hp_tidak_valid", "desa": DESA[0]})
    assert real("no_hp_tidak_valid", desa_id=DESA[0]) > 5 and shown == (5, False) and len(counts) == 1
    shown, _ = _counted_candidates(client, url, {"masalah": "no_hp_tidak_valid", "q": "budi 1"})
    assert shown == (real("no_hp_tidak_valid", nama="BUDI 1"), True)
    # A candidate whose warnings change, one whose status changes, one deleted: the next page says so.
    first, second, third = by_pk[4], by_pk[0], by_pk[1]  # no_hp → none; no_hp, tidak layak → calon; both codes, calon
    Candidate.objects.filter(pk=first.pk).update(problem_codes="")
    Candidate.objects.filter(pk=second.pk).update(status=CandidateStatus.CALON)
    third.delete()
    after = (real("no_hp_tidak_valid"), real("rt_rw_tidak_valid"), real("no_hp_tidak_valid", status="calon"))
    assert after == (18, 19, 12)
    assert _counted_candidates(client, url, {"masalah": "no_hp_tidak_valid"})[0] == (18, True)
    assert _counted_candidates(client, url, {"masalah": "rt_rw_tidak_valid"})[0] == (19, True)
    assert _counted_candidates(client, url, {"masalah": "no_hp_tidak_valid", "status": "calon"})[0] == (12, True)
    # A desa operator's one desa is counted (its rows are few), never the whole programme's tally.
    client.force_login(people.desa_a)
    monkeypatch.setattr(keyset, "COUNT_LIMIT", 10_000)
    mine = real("no_hp_tidak_valid", desa_id=people.desa_a.membership.wilayah_id)
    assert 0 < mine < 18 and _counted_candidates(client, url, {"masalah": "no_hp_tidak_valid"})[0] == (mine, True)
