from datetime import date

import pytest

from lindung.protection import moves
from lindung.protection.models import MoveOffer
from lindung.enrolment import services
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate
from lindung.test import KAB_A


def test_a_move_is_offered_and_joins_only_when_the_operator_accepts(year_cohort, people):
    target = people.program_a
    person = Candidate.objects.get(nama="Peserta 1")
    other = type(target).objects.create(slug="prog-a-kota", nama="Program lain", pemda_id=KAB_A,
                                        sumber_dana="apbd_kabkota", pagu=16_800 * 12, mulai=date(2025, 1, 1),
                                        selesai=date(2025, 12, 31))
    seat = year_cohort.seated.get(candidate=person)
    services.release(seat, user=None, reason="Pindah domisili", akhir=date(2025, 4, 30), kode="pindah")
    offers = moves.offer(person, kabupaten=KAB_A, today=date(2025, 5, 1), user=people.admin_a)
    assert [o.program for o in offers] == [other]  # never the programme they left
    assert moves.offer(person, kabupaten=KAB_A, today=date(2025, 5, 1), user=None) == offers  # once
    assert not Candidate.objects.filter(program=other).exists()  # nothing moved before the decision
    with pytest.raises(moves.MoveError, match="kode desa/kelurahan"):
        moves.decide(offers[0], accept=True, user=people.admin_a, desa="64.09.01.1001")
    offers[0].refresh_from_db()
    assert offers[0].status == MoveOffer.Status.MENUNGGU  # refused whole
    joined = moves.decide(offers[0], accept=True, user=people.admin_a, desa="21.02.01.1003")
    assert joined.program == other and joined.status == "terverifikasi" and joined.nik == person.nik
    assert joined.status_changes.get().reason.startswith("Pindahan dari prog-a")
    with pytest.raises(moves.MoveError, match="sudah diputuskan"):
        moves.decide(offers[0], accept=False, user=people.admin_a)
    assert target.slug == "prog-a" and Enrolment.objects.filter(candidate=joined).count() == 0  # no cohort there yet


def test_the_release_form_offers_the_move_and_the_other_operator_decides(client, year_cohort, people):
    from django.urls import reverse

    other = type(people.program_a).objects.create(slug="prog-a-kota", nama="Program lain", pemda_id=KAB_A,
                                                  sumber_dana="apbd_kabkota", pagu=16_800 * 12,
                                                  mulai=date(2025, 1, 1), selesai=date(2099, 12, 31))
    seat = year_cohort.seated.get(candidate__nama="Peserta 2")
    client.force_login(people.admin_a)
    page = client.post(reverse("enrolment_release", args=["prog-a", seat.pk]),
                       {"alasan": "pindah", "tanggal": "2025-04-30", "tujuan": KAB_A}, follow=True).content.decode()
    assert "Ditawarkan ke daftar tunggu: Program lain" in page
    offer = MoveOffer.objects.get()
    url = reverse("move_offers", args=[other.slug])
    client.force_login(people.bpkad_a)
    assert client.post(url, {"tawaran": offer.pk, "keputusan": "terima", "desa": "21.02.01.1003"}).status_code == 403
    client.force_login(people.admin_a)
    client.post(url, {"tawaran": offer.pk, "keputusan": "terima", "desa": "21.02.01.1003"})
    assert Candidate.objects.get(program=other).nama == "Peserta 2"
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
