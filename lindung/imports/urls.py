from django.urls import path

from lindung.imports import views

urlpatterns = [
    path("program/<slug:slug>/unggah/", views.upload, name="upload"),
    path("impor/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("impor/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("impor/<int:pk>/terima/", views.batch_accept, name="batch_accept"),
    path("impor/<int:pk>/ditolak.xlsx", views.batch_errors, name="batch_errors"),
    path("bpjs/peserta/", views.bpjs_roster, name="bpjs_roster"),
]
