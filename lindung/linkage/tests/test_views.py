"""The review queue, a pair's page, the Duplikat page and the run button: scoped to the user's area, roles
respected, every decision audited, a stale page refused with the name of who decided first."""

import pytest
from django.urls import reverse

from lindung.accounts.models import AuditEntry
from lindung.imports.models import Candidate, CandidateStatus
from lindung.linkage.models import DuplicateMark, MatchPair, MatchRun
from lindung.linkage.tests.factories import BUDI, OTHERS, SITI, load, run

# Budi entered twice in Kelurahan Moro (desa_a's), the second time with a mistyped NIK serial: a pair
# whatever the engine's calibration; it may be decided (overridden) like any pair.
AGAIN = BUDI.but(nik="2102011708900007", nama="BUDI SANTOSO")
QUEUE = reverse("match_review")
ALL = {"status": "semua"}


@pytest.fixture
def pair(people):
    budi, again, *_ = load(people.program_a, people.operator_a, [BUDI, AGAIN, SITI, *OTHERS])
    run(people.admin_a)
    found = MatchPair.objects.get(left=min(budi.pk, again.pk), right=max(budi.pk, again.pk))
    assert found.kind == "duplikat" and not found.is_decided
    return found


def decide(client, pair, **data):
    return client.post(reverse("match_pair_decide", args=[pair.pk]),
                       {"keputusan": "berbeda", "alasan": "Kembar, dicek ke KK", "versi": pair.version, **data}, follow=True)


def test_the_desa_operator_sees_and_decides_their_desas_pair(client, people, pair):
    client.force_login(people.desa_a)
    body = client.get(QUEUE, ALL).content.decode()
    assert f'id="pasangan-{pair.pk}"' in body and "BUDI SANTOSO" in body and "Budi Santoso" in body
    assert "2102011708900007" in body  # their own desa: full NIK for a full-NIK role
    assert "tanggal lahir sama" in body and "nama ibu kandung sama" in body and "desa/kelurahan sama" in body
    assert pair.score_percent in body
    page = decide(client, pair).content.decode()
    assert "Keputusan disimpan" in page
    old_status = pair.status
    pair.refresh_from_db()
    assert (pair.status, pair.alasan, pair.decided_by) == ("berbeda", "Kembar, dicek ke KK", people.desa_a)
    entry = AuditEntry.objects.get(model="linkage.matchpair", object_id=str(pair.pk))
    assert entry.old == {"status": old_status, "alasan": ""} and entry.new["status"] == "berbeda"
    for status in ("terbuka", "otomatis"):  # never asked again
        assert f'id="pasangan-{pair.pk}"' not in client.get(QUEUE, {"status": status}).content.decode()
    assert f'id="pasangan-{pair.pk}"' in client.get(QUEUE, {"status": "berbeda"}).content.decode()


def test_another_desas_operator_neither_sees_nor_decides_it(client, people, pair):
    client.force_login(people.desa_a2)
    assert f'id="pasangan-{pair.pk}"' not in client.get(QUEUE, ALL).content.decode()
    assert client.get(reverse("match_pair", args=[pair.pk])).status_code == 404
    assert client.post(reverse("match_pair_decide", args=[pair.pk]),
                       {"keputusan": "sama", "alasan": "x", "versi": pair.version}).status_code == 404
    client.force_login(people.outsider)
    assert client.get(reverse("match_pair", args=[pair.pk])).status_code == 404
    assert not MatchPair.objects.get(pk=pair.pk).is_decided


def test_a_reason_is_required(client, people, pair):
    client.force_login(people.operator_a)
    page = decide(client, pair, alasan="").content.decode()
    assert "Tuliskan alasan keputusan." in page
    assert not MatchPair.objects.get(pk=pair.pk).is_decided


def test_a_stale_page_says_who_decided_first(client, people, pair):
    client.force_login(people.operator_a)
    decide(client, pair, keputusan="sama", alasan="Satu orang, KK sama")
    client.force_login(people.desa_a)
    page = decide(client, pair).content.decode()  # the version this page was shown with
    assert "sudah diputuskan «Orang yang sama» oleh Operator A" in page and "tidak disimpan" in page
    assert MatchPair.objects.get(pk=pair.pk).decided_by == people.operator_a


def test_read_only_roles_see_masked_niks_and_cannot_decide(client, people, pair):
    client.force_login(people.auditor_a)
    body = client.get(QUEUE, ALL).content.decode()
    assert "BUDI SANTOSO" in body and "2102011708900007" not in body and "2102 01•• •••• ••••" in body
    assert 'name="keputusan"' not in body
    assert decide(client, pair).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_NIK).exists()


def test_a_page_with_full_niks_is_logged(client, people, pair):
    client.force_login(people.admin_a)
    client.get(reverse("match_pair", args=[pair.pk]))
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_NIK)
    assert (entry.user, entry.rows, entry.model) == (people.admin_a, 2, "linkage.matchpair")


def test_the_queue_costs_the_same_queries_for_one_pair_or_many(client, people, pair, django_assert_max_num_queries):
    client.force_login(people.admin_a)
    with django_assert_max_num_queries(14):
        client.get(QUEUE, ALL)


# --- Duplikat page ---------------------------------------------------------------------------------------


@pytest.fixture
def twice(people):
    budi, again = load(people.program_a, people.operator_a, [BUDI, AGAIN])
    load(people.program_a, people.operator_a, [SITI, *OTHERS])
    run(people.admin_a)
    return budi, again


def test_disnaker_keeps_one_and_undoes_only_with_a_reason(client, people, twice):
    budi, again = twice
    url = reverse("duplicates", args=["prog-a"])
    client.force_login(people.admin_a)
    assert f'id="kelompok-{min(budi.pk, again.pk)}"' in client.get(url).content.decode()
    page = client.post(reverse("duplicate_keep", args=["prog-a"]),
                       {"simpan": budi.pk, "anggota": [budi.pk, again.pk], "catatan": "KTP asli dilihat"}, follow=True)
    assert "1 calon lain ditandai duplikat" in page.content.decode()
    assert Candidate.objects.get(pk=again.pk).status == CandidateStatus.DUPLIKAT
    undo = reverse("duplicate_undo", args=["prog-a", again.pk])
    assert "Tuliskan alasan" in client.post(undo, {"alasan": ""}, follow=True).content.decode()
    assert Candidate.objects.get(pk=again.pk).status == CandidateStatus.DUPLIKAT
    client.post(undo, {"alasan": "Salah pilih"})
    assert Candidate.objects.get(pk=again.pk).status == CandidateStatus.CALON
    assert DuplicateMark.objects.get().undo_alasan == "Salah pilih"


def test_only_disnaker_keeps_and_outsiders_get_404(client, people, twice):
    budi, again = twice
    keep = reverse("duplicate_keep", args=["prog-a"])
    data = {"simpan": budi.pk, "anggota": [budi.pk, again.pk]}
    client.force_login(people.auditor_a)
    assert client.get(reverse("duplicates", args=["prog-a"])).status_code == 200
    assert client.post(keep, data).status_code == 403
    client.force_login(people.outsider)
    assert client.get(reverse("duplicates", args=["prog-a"])).status_code == 404
    assert client.post(keep, data).status_code == 404
    assert not DuplicateMark.objects.exists()


# --- the run button --------------------------------------------------------------------------------------


def test_disnaker_starts_a_run_and_the_page_polls_it(client, people, django_capture_on_commit_callbacks):
    client.force_login(people.auditor_a)
    assert client.post(reverse("matching_start")).status_code == 403
    client.force_login(people.operator_a)
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("matching_start"))
        client.post(reverse("matching_start"))  # a second click joins the waiting run
    run = MatchRun.objects.get()
    assert (run.status, run.started_by, len(queued)) == (MatchRun.Status.QUEUED, people.operator_a, 1)
    body = client.get(reverse("matching")).content.decode()
    assert reverse("matching_status", args=[run.pk]) in body and "Jalankan pencocokan" in body
    status = client.get(reverse("matching_status", args=[run.pk])).json()
    assert status == {"status": "antri", "label": "Menunggu giliran", "progress": 0, "text": "", "running": True}


def test_a_duplicate_whose_pair_is_later_decided_different_can_still_be_given_back(client, people, twice):
    budi, again = twice
    client.force_login(people.admin_a)
    client.post(reverse("duplicate_keep", args=["prog-a"]), {"simpan": budi.pk, "anggota": [budi.pk, again.pk]})
    pair = MatchPair.objects.get(kind="duplikat")
    decide(client, pair, keputusan="berbeda", alasan="Ternyata ayah dan anak")
    body = client.get(reverse("duplicates", args=["prog-a"])).content.decode()
    assert 'id="tanda-lepas"' in body and "BUDI SANTOSO" in body
    client.post(reverse("duplicate_undo", args=["prog-a", again.pk]), {"alasan": "Ayah dan anak, dua orang"})
    assert Candidate.objects.get(pk=again.pk).status == CandidateStatus.CALON
