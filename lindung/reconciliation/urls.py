from django.urls import path

from lindung.reconciliation import views

urlpatterns = [
    path("program/<slug:slug>/tagihan-bpjs/", views.overview, name="reconciliation_overview"),
    path("program/<slug:slug>/tagihan-bpjs/unggah/", views.upload, name="reconciliation_upload"),
    path("program/<slug:slug>/tagihan-bpjs/<str:bulan>/", views.month, name="reconciliation_month"),
    path("program/<slug:slug>/tagihan-bpjs/<str:bulan>/selesaikan/", views.resolve, name="reconciliation_resolve"),
    path("program/<slug:slug>/tagihan-bpjs/<str:bulan>/siap-bayar/", views.ready, name="reconciliation_ready"),
    path("program/<slug:slug>/tagihan-bpjs/<str:bulan>/bayar/", views.pay, name="reconciliation_pay"),
    path("program/<slug:slug>/tagihan-bpjs/<str:bulan>/rekonsiliasi.xlsx", views.download, name="reconciliation_xlsx"),
]
