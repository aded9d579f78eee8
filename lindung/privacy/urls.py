from django.urls import path

from lindung.privacy import views

urlpatterns = [
    path("privasi/", views.privacy_page, name="privacy"),
    path("privasi/pemrosesan/", views.register, name="privacy_register"),
    path("privasi/pemrosesan.xlsx", views.register_xlsx, name="privacy_register_xlsx"),
    path("privasi/pemrosesan/<slug:kode>/ubah/", views.register_edit, name="privacy_register_edit"),
    path("privasi/akses-subjek/", views.subject_access, name="privacy_subject_access"),
]
