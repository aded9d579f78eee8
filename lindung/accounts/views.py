from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from lindung.coverage import dashboard
from lindung.coverage.views import user_area
from lindung.domain import iuran, wilayah
from lindung.domain.periods import Month


@login_required
def home(request):
    month = Month.of(timezone.localdate())
    context = {
        "snapshot": wilayah.SNAPSHOT,
        "iuran_dasar": iuran.iuran_bulanan(month=month),
        "month": month,
        **dashboard.for_user(request.user, user_area(request.user)),  # issue 15: the user's dashboard
    }
    return render(request, "accounts/home.html", context)
