from django.urls import path

from lindung.privacy import views

urlpatterns = [
    path("privasi/", views.privacy_page, name="privacy"),
]
