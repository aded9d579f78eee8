import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_shows_the_dpo_on_the_public_privacy_page(client, settings):
    settings.DPO_NAMA, settings.DPO_EMAIL, settings.DPO_TELEPON = "Rina Marlina, S.H.", "ppdp@karimunkab.go.id", "0777-123456"
    body = client.get(reverse("privacy")).content.decode()
    assert "Rina Marlina, S.H." in body and "ppdp@karimunkab.go.id" in body and "0777-123456" in body
    assert "Undang-Undang Nomor 27 Tahun 2022" in body


def test_it_shows_the_dpo_in_the_footer_of_every_page(client, settings):
    settings.DPO_NAMA, settings.DPO_EMAIL = "Rina Marlina", "ppdp@karimunkab.go.id"
    body = client.get(reverse("login")).content.decode()
    footer = body[body.index("<footer>"):]
    assert "Pejabat Pelindungan Data Pribadi: <strong>Rina Marlina</strong>" in footer
    assert "ppdp@karimunkab.go.id" in footer and reverse("privacy") in footer


def test_it_says_when_no_dpo_is_designated(client, settings):
    settings.DPO_NAMA = ""
    body = client.get(reverse("privacy")).content.decode()
    assert "belum ditetapkan" in body


def test_the_deploy_check_asks_for_a_dpo(settings):
    from django.core.checks import run_checks

    settings.DPO_NAMA, settings.DPO_EMAIL, settings.DPO_TELEPON = "", "", ""
    assert "lindung.privacy.W001" in {m.id for m in run_checks(include_deployment_checks=True)}
    assert "lindung.privacy.W001" not in {m.id for m in run_checks()}  # only with --deploy
    settings.DPO_NAMA, settings.DPO_EMAIL = "Rina Marlina", "ppdp@karimunkab.go.id"
    assert "lindung.privacy.W001" not in {m.id for m in run_checks(include_deployment_checks=True)}
