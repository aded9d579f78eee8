from django.urls import path

from lindung.enrolment import views

urlpatterns = [
    path("program/<slug:slug>/penetapan/", views.cohort, name="cohort"),
    path("program/<slug:slug>/penetapan/buat/", views.cohort_create, name="cohort_create"),
    path("program/<slug:slug>/penetapan/tambah/", views.cohort_add, name="cohort_add"),
    path("program/<slug:slug>/penetapan/ajukan/", views.submit, name="bpjs_submit"),
    path("program/<slug:slug>/penetapan/pengajuan.<str:fmt>", views.submission, name="bpjs_submission"),
    path("program/<slug:slug>/penetapan/jawaban/", views.response_upload, name="bpjs_response"),
    path("program/<slug:slug>/penetapan/sk.<str:fmt>", views.sk_download, name="sk_download"),
    path("program/<slug:slug>/penetapan/sk/", views.sk_update, name="sk_update"),
    path("program/<slug:slug>/penetapan/sk/buat/", views.sk_make, name="sk_make"),
    path("program/<slug:slug>/penetapan/lampiran/buat/", views.lampiran_make, name="sk_lampiran_make"),
    path("program/<slug:slug>/penetapan/sk/status/", views.sk_status, name="sk_status"),
    path("program/<slug:slug>/penetapan/<int:pk>/keluar/", views.enrolment_release, name="enrolment_release"),
]
