from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from lindung.domain import iuran, wilayah
from lindung.domain.periods import Month


@login_required
def home(request):
    month = Month.of(timezone.localdate())
    context = {
        "snapshot": wilayah.SNAPSHOT,
        "iuran_dasar": iuran.iuran_bulanan(month=month),
        "month": month,
    }
    return render(request, "accounts/home.html", context)
