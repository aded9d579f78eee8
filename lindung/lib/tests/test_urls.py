from django.urls import reverse

from lindung.lib.urls import pk_url


def test_a_row_url_is_what_reverse_gives():
    detail, why = pk_url("candidate_detail"), pk_url("bill_line", "karimun-2025")
    for pk in (1, 42, 987_654_321, 10**12):
        assert detail(pk) == reverse("candidate_detail", args=[pk])
        assert why(pk) == reverse("bill_line", args=["karimun-2025", pk])
