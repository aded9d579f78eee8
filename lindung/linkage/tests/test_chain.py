"""*Berbeda* on a possible duplicate pair whose two candidates other pairs already join as one person.

Ani–Ana the engine was sure of, Ana–Anah a reviewer decided *sama*; Ani–Anah is only *mungkin*. Deciding it
*berbeda* was saved, yet the duplicate group (a connected component) kept all three, and Anah could still
be set aside as Ani's duplicate: the reviewer was told "saved" and nothing they meant happened. It is now
refused with the pairs that join them, so the reviewer decides the wrong link instead."""

import pytest
from django.urls import reverse

from lindung.imports.models import Candidate
from lindung.linkage import duplicates
from lindung.linkage.models import MatchPair
from lindung.registry.models import Person
from lindung.test import DESA_A


def _candidate(program, nama: str, serial: int) -> Candidate:
    nik = f"210201170890{serial:04d}"
    person = Person.objects.create(nik=nik, nama=nama)
    return Candidate.objects.create(program=program, person=person, desa_id=DESA_A, nik=nik, nama=nama,
                                    pekerjaan="nelayan")


def _pair(left, right, status, band="cocok") -> MatchPair:
    left, right = sorted([left, right], key=lambda c: c.pk)
    return MatchPair.objects.create(kind="duplikat", left=left, right=right, score=0.9, band=band, status=status)


@pytest.fixture
def chain(people):
    program = people.program_a
    ani, ana, anah = (_candidate(program, nama, i) for i, nama in enumerate(["Ani", "Ana", "Anah"], start=1))
    _pair(ani, ana, "otomatis")
    _pair(ana, anah, "sama")
    return ani, ana, anah, _pair(ani, anah, "terbuka", band="mungkin")


def test_berbeda_on_a_pair_other_pairs_join_is_refused_naming_them(client, people, chain):
    ani, ana, anah, possible = chain
    client.force_login(people.admin_a)
    page = client.post(reverse("match_pair_decide", args=[possible.pk]),
                       {"keputusan": "berbeda", "alasan": "Beda ibu kandung", "versi": possible.version},
                       follow=True).content.decode()
    possible.refresh_from_db()
    assert possible.status == "terbuka" and possible.version == 0  # not saved
    assert (f"Ani dan Anah tetap satu kelompok duplikat lewat pasangan lain yang sudah dianggap orang yang sama: "
            f"Ani (calon #{ani.pk}) – Ana (calon #{ana.pk}): cocok otomatis; Ana (calon #{ana.pk}) – Anah "
            f"(calon #{anah.pk}): orang yang sama. Keputusan «orang berbeda» di sini tidak memisahkan mereka") in page
    group = duplicates.groups_for(people.program_a, Candidate.objects.all())
    assert [sorted(c.nama for c in g.members) for g in group] == [["Ana", "Anah", "Ani"]]


def test_once_the_wrong_link_is_decided_berbeda_the_pair_can_be_too(client, people, chain):
    ani, ana, anah, possible = chain
    link = MatchPair.objects.get(left=min(ana.pk, anah.pk), right=max(ana.pk, anah.pk))
    client.force_login(people.admin_a)
    client.post(reverse("match_pair_decide", args=[link.pk]),
                {"keputusan": "berbeda", "alasan": "Beda ibu kandung", "versi": link.version})
    client.post(reverse("match_pair_decide", args=[possible.pk]),
                {"keputusan": "berbeda", "alasan": "Beda ibu kandung", "versi": possible.version})
    possible.refresh_from_db()
    assert possible.status == "berbeda"
    group = duplicates.groups_for(people.program_a, Candidate.objects.all())
    assert [sorted(c.nama for c in g.members) for g in group] == [["Ana", "Ani"]]


def test_sama_on_a_joined_pair_and_berbeda_on_a_lone_one_are_saved(people, chain):
    from lindung.linkage import services

    ani, ana, anah, possible = chain
    services.decide_pair(possible, version=0, decision="sama", alasan="KTP sama", user=people.admin_a)
    lone = _pair(ani, _candidate(people.program_a, "Budi", 9), "terbuka", band="mungkin")
    services.decide_pair(lone, version=0, decision="berbeda", alasan="Orang lain", user=people.admin_a)
    assert MatchPair.objects.get(pk=lone.pk).status == "berbeda"
