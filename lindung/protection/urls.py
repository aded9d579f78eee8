from django.urls import path

from lindung.protection import views

urlpatterns = [
    path("program/<slug:slug>/masa-iur/", views.masa_iur_page, name="masa_iur"),
    path("program/<slug:slug>/masa-iur/<str:daftar>.xlsx", views.masa_iur_download, name="masa_iur_download"),
]
urlpatterns.append(path("program/<slug:slug>/usia/", views.turning_old_page, name="turning_old"))
urlpatterns.append(path("program/<slug:slug>/tahun-baru/", views.new_year_page, name="new_year"))

from lindung.protection import claim_views  # noqa: E402

urlpatterns += [
    path("program/<slug:slug>/klaim/", claim_views.claim_list, name="claims"),
    path("klaim/<int:pk>/", claim_views.claim_detail, name="claim_detail"),
]
urlpatterns.append(path("program/<slug:slug>/pindahan/", claim_views.move_offers, name="move_offers"))
