from django.urls import path

from lindung.privacy import views

urlpatterns = [
    path("privasi/", views.privacy_page, name="privacy"),
    path("privasi/pemrosesan/", views.register, name="privacy_register"),
    path("privasi/pemrosesan.xlsx", views.register_xlsx, name="privacy_register_xlsx"),
    path("privasi/pemrosesan/<slug:kode>/ubah/", views.register_edit, name="privacy_register_edit"),
    path("privasi/akses-subjek/", views.subject_access, name="privacy_subject_access"),
    path("privasi/insiden/", views.incident_list, name="privacy_incidents"),
    path("privasi/insiden/baru/", views.incident_form, name="privacy_incident_new"),
    path("privasi/insiden/<int:pk>/", views.incident_detail, name="privacy_incident"),
    path("privasi/insiden/<int:pk>/ubah/", views.incident_form, name="privacy_incident_edit"),
    path("privasi/insiden/<int:pk>/pemberitahuan/", views.incident_notices, name="privacy_incident_notices"),
    path("privasi/insiden/<int:pk>/status/", views.incident_status, name="privacy_incident_status"),
    path("privasi/insiden/<int:pk>/pemberitahuan-<str:kind>.pdf", views.incident_notice_pdf, name="privacy_incident_pdf"),
]
