from django.urls import path

from lindung.background import views

urlpatterns = [
    path("proses/<int:pk>/", views.job_detail, name="job_detail"),
    path("proses/<int:pk>/status/", views.job_status, name="job_status"),
    path("proses/<int:pk>/unduh/", views.job_download, name="job_download"),
]
