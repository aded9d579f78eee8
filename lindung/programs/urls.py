from django.urls import path

from lindung.programs import setup_views, views

urlpatterns = [
    path("program/", views.program_list, name="program_list"),
    path("program/baru/", setup_views.program_create, name="program_create"),
    path("pengguna/", setup_views.user_list, name="user_list"),
    path("pengguna/<int:pk>/", setup_views.user_edit, name="user_edit"),
    path("program/<slug:slug>/ubah/", setup_views.program_edit, name="program_edit"),
    path("program/<slug:slug>/", views.program_detail, name="program_detail"),
    path("program/<slug:slug>/templat.xlsx", views.program_template, name="program_template"),
    path("program/<slug:slug>/calon/", views.candidate_list, name="candidate_list"),
    path("calon/<int:pk>/", views.candidate_detail, name="candidate_detail"),
]
