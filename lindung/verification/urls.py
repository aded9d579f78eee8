from django.urls import path

from lindung.verification import views

urlpatterns = [
    path("program/<slug:slug>/verifikasi/", views.queue, name="verification_queue"),
]
