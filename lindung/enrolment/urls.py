from django.urls import path

from lindung.enrolment import views

urlpatterns = [
    path("program/<slug:slug>/penetapan/", views.cohort, name="cohort"),
    path("program/<slug:slug>/penetapan/buat/", views.cohort_create, name="cohort_create"),
]
