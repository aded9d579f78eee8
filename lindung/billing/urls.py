from django.urls import path

from lindung.billing import views

urlpatterns = [
    path("program/<slug:slug>/tagihan/", views.bill_page, name="bill"),
    path("program/<slug:slug>/tagihan/baris/<int:pk>/", views.bill_line, name="bill_line"),
    path("program/<slug:slug>/tagihan/<str:bulan>.<str:fmt>", views.bill_download, name="bill_download"),
    path("program/<slug:slug>/realisasi/", views.realisation_page, name="realisation"),
    path("program/<slug:slug>/pagu/", views.pagu_change, name="pagu_change"),
    path("realisasi/", views.realisation_overview, name="realisation_overview"),
    path("realisasi/realisasi-anggaran.xlsx", views.realisation_download, name="realisation_download"),
]
