"""Programme and user set-up by the Disnaker admin, without /admin: own pemda only, Indonesian messages."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from lindung.accounts.models import AuditEntry, Membership
from lindung.programs.models import Program
from lindung.test import DESA_A, KAB_A

FORM = {"slug": "karimun-2026", "nama": "Jamsostek Pekerja Rentan Karimun 2026", "sumber_dana": "apbd_kabkota",
        "pagu": "201600000", "mulai": "2026-01-01", "selesai": "2026-12-31", "pks_nomor": "PKS/7/2026",
        "kode_kepesertaan": "SG", "usia_min": "18", "usia_max": "65", "akhir_usia": "akhir_program",
        "tingkat_1": "desa", "tingkat_2": "disnaker", "pekerjaan": ["nelayan", "petani"]}


def test_the_admin_creates_and_edits_a_programme_of_their_pemda(client, people):
    client.force_login(people.admin_a)
    response = client.post(reverse("program_create"), FORM)
    assert response.status_code == 302
    program = Program.objects.get(slug="karimun-2026")
    assert program.pemda_id == KAB_A and program.levels == ["desa", "disnaker"]
    assert program.pekerjaan_diizinkan == ["nelayan", "petani"] and program.created_by == people.admin_a
    edited = {**FORM, "pagu": "100800000", "tingkat_1": "dinsos", "tingkat_2": "", "tingkat_3": "disnaker"}
    assert client.post(reverse("program_edit", args=["karimun-2026"]), edited).status_code == 302
    program.refresh_from_db()
    assert program.pagu == 100_800_000 and program.levels == ["dinsos", "disnaker"]
    assert AuditEntry.objects.filter(note="pengaturan program diubah").exists()


def test_bad_programme_input_is_refused_in_indonesian(client, people):
    client.force_login(people.admin_a)
    page = client.post(reverse("program_create"), {**FORM, "selesai": "2025-12-31", "tingkat_2": "desa"}).content.decode()
    assert "Setiap tingkat verifikasi hanya boleh dipilih sekali" in page
    page = client.post(reverse("program_create"), {**FORM, "selesai": "2025-12-31"}).content.decode()
    assert "Akhir perlindungan tidak boleh sebelum awal perlindungan" in page
    assert not Program.objects.filter(slug="karimun-2026").exists()


def test_only_the_admin_of_the_pemda_sets_up(client, people):
    for persona in (people.operator_a, people.desa_a, people.bpkad_a):
        client.force_login(persona)
        assert client.get(reverse("program_create")).status_code == 403
        assert client.get(reverse("user_list")).status_code == 403
    client.force_login(people.admin_a)
    assert client.get(reverse("program_edit", args=[people.program_b.slug])).status_code == 404


def test_the_admin_manages_users_of_their_pemda(client, people):
    client.force_login(people.admin_a)
    page = client.get(reverse("user_list")).content.decode()
    assert "desa.a" in page and "operator.b" not in page  # another pemda's users are not listed
    new = {"username": "desa.baru", "nama": "Operator Baru", "peran": "operator_desa", "wilayah": DESA_A,
           "sandi": "sandi-yang-panjang-77", "aktif": "on"}
    assert client.post(reverse("user_list"), new).status_code == 302
    membership = Membership.objects.get(user__username="desa.baru")
    assert membership.wilayah_id == DESA_A and membership.user.check_password("sandi-yang-panjang-77")
    page = client.post(reverse("user_list"), {**new, "username": "desa.lain", "wilayah": "64.09.01.1001"}).content.decode()
    assert "Operator desa perlu kode desa/kelurahan di wilayah 21.02" in page
    edit = reverse("user_edit", args=[membership.user.pk])
    assert client.post(edit, {**new, "peran": "auditor", "wilayah": "", "sandi": ""}).status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.wilayah_id) == ("auditor", KAB_A)
    assert client.get(reverse("user_edit", args=[people.outsider.pk])).status_code == 404
    own = reverse("user_edit", args=[people.admin_a.pk])
    page = client.post(own, {"nama": "A", "peran": "auditor", "aktif": "on"}, follow=True).content.decode()
    assert "tidak dapat mencabut peran admin" in page
    assert get_user_model().objects.get(pk=people.admin_a.pk).membership.role == "admin_disnaker"


def test_a_pagu_of_zero_or_less_is_refused_with_every_other_problem_at_once(client, people):
    client.force_login(people.admin_a)
    page = client.post(reverse("program_create"), {**FORM, "pagu": "0", "selesai": "2025-12-31"}).content.decode()
    assert "Pagu harus lebih dari Rp0." in page
    assert "Akhir perlindungan tidak boleh sebelum awal perlindungan." in page  # both, not the first one found
    client.post(reverse("program_create"), {**FORM, "pagu": "-5"})
    assert not Program.objects.filter(slug="karimun-2026").exists()


def test_occupations_the_funding_source_cannot_pay_for_are_refused_at_set_up(client, people):
    # DBHCHT pays only for tobacco workers (R19): ticking Nelayan would silently reject every nelayan row later.
    client.force_login(people.admin_a)
    dbhcht = {**FORM, "sumber_dana": "dbhcht", "pekerjaan": ["nelayan", "petani_tembakau"]}
    page = client.post(reverse("program_create"), dbhcht).content.decode()
    assert "Sumber dana DBHCHT tidak dapat membiayai Nelayan; yang dapat dibiayai: Petani tembakau" in page
    assert not Program.objects.filter(slug="karimun-2026").exists()
    assert client.post(reverse("program_create"), {**dbhcht, "pekerjaan": ["petani_tembakau"]}).status_code == 302
    page = client.post(reverse("program_edit", args=["karimun-2026"]), {**FORM, "sumber_dana": "dbhcht"}).content.decode()
    assert "tidak dapat membiayai Petani, Nelayan" in page
    assert Program.objects.get(slug="karimun-2026").pekerjaan_diizinkan == ["petani_tembakau"]


def test_a_taken_or_malformed_programme_code_is_explained_by_its_label(client, people):
    client.force_login(people.admin_a)
    page = client.post(reverse("program_create"), {**FORM, "slug": people.program_b.slug}).content.decode()
    assert "Kode program ini sudah dipakai program lain" in page  # another pemda's: still unique across the install
    assert "dengan Slug" not in page
    page = client.post(reverse("program_create"), {**FORM, "slug": "karimun 2026!"}).content.decode()
    assert "Kode program hanya boleh huruf, angka" in page
    assert "“slug”" not in page and "dengan Slug" not in page  # Django's own wording


def test_the_programme_page_shows_what_the_admin_set_up(client, people):
    # After "Simpan" the admin lands here: occupations, levels and the age-out rule were set but not shown.
    client.force_login(people.admin_a)
    client.post(reverse("program_create"), {**FORM, "akhir_usia": "bulan_ulang_tahun"})
    page = client.get(reverse("program_detail", args=["karimun-2026"])).content.decode()
    assert '<dd id="pekerjaan">Nelayan, Petani</dd>' in page
    assert '<dd id="tingkat">Desa/kelurahan → Disnaker</dd>' in page
    assert '<dd id="akhir-usia">Berakhir pada bulan ulang tahun ke-66</dd>' in page  # the age, not a formula
    page = client.get(reverse("program_detail", args=[people.program_a.slug])).content.decode()
    assert '<dd id="pekerjaan">semua yang diizinkan sumber dana</dd>' in page
    assert '<dd id="tingkat">RT/RW → Desa/kelurahan → Dinas Sosial → Disnaker</dd>' in page


def test_a_new_user_gets_no_role_until_the_admin_picks_one(client, people):
    client.force_login(people.admin_a)
    page = client.get(reverse("user_list")).content.decode()
    assert '<option value="" selected>— pilih peran —</option>' in page
    assert '<option value="admin_disnaker" selected>' not in page
    new = {"username": "baru", "nama": "Baru", "wilayah": "", "sandi": "sandi-yang-panjang-77", "aktif": "on"}
    page = client.post(reverse("user_list"), new).content.decode()
    assert "Bidang ini tidak boleh kosong." in page and not get_user_model().objects.filter(username="baru").exists()


def test_the_user_page_names_the_pemda_and_offers_its_desa(client, people):
    client.force_login(people.admin_a)
    page = client.get(reverse("user_list")).content.decode()
    assert "<h1>Pengguna Kabupaten Karimun</h1>" in page  # was "Pengguna pemda 21.02"
    assert 'list="desa-pemda"' in page and f'<option value="{DESA_A}">Moro (Kelurahan)</option>' in page
    assert '<option value="64.09.01.1001">' not in page  # another pemda's desa is not offered
    page = client.get(reverse("user_edit", args=[people.desa_a.pk])).content.decode()
    assert '<datalist id="desa-pemda">' in page


def test_the_pagu_is_typed_and_shown_the_indonesian_way(client, people):
    client.force_login(people.admin_a)
    assert client.post(reverse("program_create"), {**FORM, "pagu": "Rp 201.600.000"}).status_code == 302
    assert Program.objects.get(slug="karimun-2026").pagu == 201_600_000
    page = client.get(reverse("program_edit", args=["karimun-2026"])).content.decode()
    assert 'value="201.600.000"' in page
    page = client.post(reverse("program_edit", args=["karimun-2026"]), {**FORM, "pagu": "201.600000"}).content.decode()
    assert "Tulis jumlah dalam rupiah penuh, mis. 201.600.000 (tanpa sen)." in page  # what Chromium made of 201.600.000


def test_the_edit_page_leads_back_to_its_programme(client, people):
    client.force_login(people.admin_a)
    page = client.get(reverse("program_edit", args=[people.program_a.slug])).content.decode()
    assert f'<a href="{reverse("program_detail", args=[people.program_a.slug])}" id="kembali">' in page
    page = client.get(reverse("program_create")).content.decode()
    assert f'<a href="{reverse("program_list")}" id="kembali">« Daftar program</a>' in page


def test_each_message_is_shown_once_with_its_own_field(client, people):
    client.force_login(people.admin_a)
    bad = {**FORM, "pagu": "0", "tingkat_2": "desa", "sumber_dana": "dbhcht"}
    page = client.post(reverse("program_create"), bad).content.decode()
    assert page.count("Setiap tingkat verifikasi hanya boleh dipilih sekali") == 1  # was twice
    assert "Sumber dana DBHCHT tidak dapat membiayai" in page  # and with it, not after it is fixed
    # Under the pagu's own label, before its box; as_p put it above the label, under the funding source.
    label, box = page.index('<label for="id_pagu">'), page.index('id="id_pagu"')
    assert label < page.index("Pagu harus lebih dari Rp0.") < box
