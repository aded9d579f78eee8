from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from lindung.coverage import services
from lindung.coverage.forms import SemestaForm
from lindung.coverage.models import Semesta
from lindung.coverage.semesta import SemestaError, import_semesta
from lindung.domain import peta, wilayah
from lindung.domain.coverage import Share
from lindung.domain.periods import Month, PeriodError
from lindung.imports.reader import ImportFileError


def user_area(user) -> str | None:
    membership = getattr(user, "membership", None)
    if membership is not None:
        return membership.wilayah_id
    if user.is_superuser:  # no area of their own: the first pemda with a programme
        from lindung.programs.models import Program

        return Program.objects.order_by("pemda_id").values_list("pemda_id", flat=True).first() or "21"
    return None


def _area_for_user(request) -> str:
    """The requested area, which must lie inside the user's own (a province user sees its kabupaten)."""
    own = user_area(request.user)
    if own is None:
        raise Http404("Pengguna belum punya wilayah.")
    kode = wilayah.normalise_kode(request.GET.get("kode", "").strip()) or own
    if wilayah.get(kode) is None or not (request.user.is_superuser or (kode + ".").startswith(own + ".")):
        raise Http404("Wilayah di luar cakupan Anda.")
    return kode


def _month(request) -> Month | None:
    try:
        return Month.parse(request.GET["bulan"]) if request.GET.get("bulan") else None
    except PeriodError:
        raise Http404("Bulan tidak sah.") from None


def map_svg(kode: str, report: services.Report) -> str:
    """Kecamatan of the area, coloured by their share; a desa or kecamatan user: their kecamatan."""
    kecamatan_kode = kode[:8] if len(kode) >= 8 else kode
    length = services.LEVEL_LENGTH[3]
    people = report.covered if len(kode) <= length and report.covered else services.covered(report.bulan, kecamatan_kode)
    covered = people.at(length)
    denominators = services.semesta_by_region(report.semesta, kecamatan_kode, length)
    kecamatan = ([wilayah.get(kecamatan_kode)] if len(kode) >= 8 else
                 [k for kab in ([wilayah.get(kode)] if len(kode) == 5 else wilayah.children(kode))
                  for k in wilayah.children(kab.kode)])
    areas = []
    for k in kecamatan:
        share = Share(k.kode, k.nama, covered.get(k.kode, 0), denominators.get(k.kode))
        areas.append(peta.MapArea(k.kode, k.nama, share.persen, share.label))
    title = f"Cakupan {report.area.nama}, {report.bulan.name_id}"
    return peta.choropleth(areas, title=title, source=report.sumber_semesta)


def _semesta(request, kode: str) -> Semesta | None:
    """A version the user picked (?semesta=ID), among those with counts in the area; else the one in force."""
    chosen = request.GET.get("semesta", "")
    if not chosen:
        return None
    if not chosen.isdigit():
        raise Http404("Versi semesta tidak dikenal.")
    version = Semesta.objects.for_area(kode).filter(pk=int(chosen)).first()
    if version is None:
        raise Http404("Versi semesta tidak dikenal.")
    return version


def can_upload_semesta(user) -> bool:
    """Disnaker counts the semesta of its whole pemda; a desa operator uploads candidate lists only."""
    membership = getattr(user, "membership", None)
    return bool(membership is not None and membership.can_upload and not membership.is_desa)


@login_required
def coverage(request):
    kode = _area_for_user(request)
    report = services.report(kode, bulan=_month(request), semesta=_semesta(request, kode))
    return render(request, "coverage/cakupan.html", {
        "report": report, "svg": map_svg(kode, report), "kode": kode,
        "versions": Semesta.objects.for_area(kode)[:10],
        "can_upload": can_upload_semesta(request.user)})


@login_required
def coverage_svg(request):
    kode = _area_for_user(request)
    report = services.report(kode, bulan=_month(request), semesta=_semesta(request, kode))
    return HttpResponse(map_svg(kode, report), content_type="image/svg+xml")


@login_required
def semesta_upload(request):
    if not can_upload_semesta(request.user):
        raise Http404("Hanya Disnaker yang dapat mengunggah semesta.")
    membership = request.user.membership
    form = SemestaForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        try:
            import_semesta(data=upload.read(), filename=upload.name, pemda=membership.wilayah_id,
                           sumber=form.cleaned_data["sumber"], tahun=form.cleaned_data["tahun"], user=request.user)
            return redirect("coverage")
        except SemestaError as exc:
            problems = exc.problems
        except ImportFileError as exc:
            problems = [{"row": None, "column": None, "code": exc.code, "message": exc.message}]
    return render(request, "coverage/semesta_upload.html", {"form": form, "problems": problems})


@login_required
def laporan(request, fmt: str):
    """The report for the Bupati/DPRD, made on request (a kabupaten renders in seconds)."""
    from lindung.coverage.laporan import laporan_pdf, laporan_xlsx

    if fmt not in ("pdf", "xlsx"):
        raise Http404("Format laporan tidak dikenal.")
    kode = _area_for_user(request)
    try:
        tahun = int(request.GET.get("tahun") or services.default_month().year)
    except ValueError:
        raise Http404("Tahun tidak sah.") from None
    name = f"laporan-cakupan-{kode.replace('.', '')}-{tahun}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(laporan_pdf(kode, tahun), content_type="application/pdf")
    else:
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        laporan_xlsx(kode, tahun, response)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
