from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.open_data, name="open-data"),
    path("open-data/bulk/rebuild/", views.bulk_rebuild, name="bulk-rebuild"),
    path("open-data/publication-policy/", views.publication_policy, name="policy"),
    path("public/contracts/", views.contract_list, name="contract-list"),
    path("public/contracts/<str:number>/", views.contract_detail, name="contract-detail"),
]
