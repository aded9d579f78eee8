from django.urls import path

from lindung.coverage import views

urlpatterns = [
    path("cakupan/", views.coverage, name="coverage"),
    path("cakupan/peta.svg", views.coverage_svg, name="coverage_svg"),
    path("cakupan/semesta/", views.semesta_upload, name="semesta_upload"),
    path("cakupan/laporan.<str:fmt>", views.laporan, name="coverage_report"),
]
