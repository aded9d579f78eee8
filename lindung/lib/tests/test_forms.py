import pytest
from django import forms

from lindung.lib.forms import RupiahField


@pytest.mark.parametrize(("typed", "amount"), [
    ("201600000", 201_600_000), ("201.600.000", 201_600_000), ("Rp 201.600.000", 201_600_000),
    ("Rp201.600.000", 201_600_000), ("rp. 16.800", 16_800), (" 1.000 ", 1_000), ("0", 0)])
def test_it_reads_rupiah_as_people_write_them(typed, amount):
    assert RupiahField().clean(typed) == amount


@pytest.mark.parametrize("typed", ["201.600000", "201,5", "16.800,50", "2O1", "1.5"])
def test_it_refuses_what_is_not_whole_rupiah_in_indonesian(typed):
    with pytest.raises(forms.ValidationError, match="Tulis jumlah dalam rupiah penuh, mis. 201.600.000"):
        RupiahField().clean(typed)


def test_it_shows_a_stored_amount_with_thousand_dots():
    html = RupiahField().widget.render("pagu", 201_600_000)
    assert 'value="201.600.000"' in html and 'type="text"' in html and 'inputmode="numeric"' in html
