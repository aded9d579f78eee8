from django.urls import path

from lindung.programs import views

urlpatterns = [
    path("program/", views.program_list, name="program_list"),
    path("program/<slug:slug>/", views.program_detail, name="program_detail"),
    path("program/<slug:slug>/templat.xlsx", views.program_template, name="program_template"),
    path("program/<slug:slug>/calon/", views.candidate_list, name="candidate_list"),
    path("calon/<int:pk>/", views.candidate_detail, name="candidate_detail"),
]
