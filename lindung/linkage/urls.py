from django.urls import path

from lindung.linkage import views

urlpatterns = [
    path("pencocokan/", views.runs, name="matching"),
    path("pencocokan/jalankan/", views.run_start, name="matching_start"),
    path("pencocokan/<int:pk>/status/", views.run_status, name="matching_status"),
    path("pencocokan/tinjau/", views.review_queue, name="match_review"),
    path("pencocokan/pasangan/<int:pk>/", views.pair_detail, name="match_pair"),
    path("pencocokan/pasangan/<int:pk>/putuskan/", views.pair_decide, name="match_pair_decide"),
    path("program/<slug:slug>/duplikat/", views.duplicates, name="duplicates"),
    path("program/<slug:slug>/duplikat/simpan/", views.duplicate_keep, name="duplicate_keep"),
    path("program/<slug:slug>/duplikat/<int:pk>/batal/", views.duplicate_undo, name="duplicate_undo"),
]
