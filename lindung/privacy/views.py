"""Privacy pages (UU 27/2022 PDP): the public notice, the processing register, retention, subject access, breaches."""

from __future__ import annotations

from django.shortcuts import render


def privacy_page(request):
    """Public: who processes what and why, how long it is kept, and whom to ask (the DPO)."""
    return render(request, "privacy/privacy.html", {})
