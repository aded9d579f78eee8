import pytest
from django.core.management import call_command

from lindung.registry.models import Region
from lindung.registry.services import _snapshot_rows, load_regions, sync_regions

pytestmark = pytest.mark.django_db


def test_it_loads_a_kabupaten_with_its_ancestors_and_descendants():
    result = load_regions(prefix="21.02")
    karimun = Region.objects.get(kode="21.02")
    assert karimun.nama == "Kabupaten Karimun" and karimun.tingkat == "kabupaten"
    assert karimun.induk.nama == "Kepulauan Riau"
    assert result.created == Region.objects.count()
    kecamatan = Region.objects.filter(induk=karimun)
    assert kecamatan.exists() and all(k.tingkat == "kecamatan" for k in kecamatan)
    assert not Region.objects.filter(kode="21.03").exists()  # Natuna is outside the prefix
    assert Region.objects.within("21.02").filter(tingkat__in=["desa", "kelurahan"]).exists()


def test_it_reloads_without_changes():
    load_regions(prefix="21.02")
    count = Region.objects.count()
    again = load_regions(prefix="21.02")
    assert (again.created, again.updated, again.retired) == (0, 0, 0)
    assert Region.objects.count() == count


def test_it_restores_a_renamed_region_from_the_snapshot():
    load_regions(prefix="21.02")
    Region.objects.filter(kode="21.02").update(nama="Karimun (salah ketik)")
    result = load_regions(prefix="21.02")
    assert result.updated == 1
    assert Region.objects.get(kode="21.02").nama == "Kabupaten Karimun"


def test_it_retires_codes_missing_from_the_snapshot_on_a_full_load():
    # The full snapshot is 91 thousand rows (`make demo` loads it); the retirement rule is the same
    # for one kabupaten's rows, so the test syncs those.
    load_regions(prefix="21.02")
    Region.objects.create(kode="21.02.99", nama="Kecamatan Lama", tingkat="kecamatan", induk_id="21.02", versi="lama")
    result = sync_regions(_snapshot_rows("21.02"), retire=True)
    old = Region.objects.get(kode="21.02.99")
    assert result.retired == 1 and old.aktif is False  # kept, not deleted (R20)


def test_the_loadwilayah_command_reports_counts(capsys):
    call_command("loadwilayah", kode="2102")
    assert "baru" in capsys.readouterr().out
    assert Region.objects.filter(kode="21.02").exists()
