from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("plan/", views.annual_plan, name="plan"),
    path("plan/export/", views.annual_plan_export, name="plan-export"),
    path("catalogue/", views.catalogue_list, name="catalogue"),
    path("catalogue/new/", views.catalogue_create, name="catalogue-create"),
    path("catalogue/<int:pk>/edit/", views.catalogue_edit, name="catalogue-edit"),
    path(
        "catalogue/<int:pk>/approve-budget/",
        views.catalogue_budget_approve,
        name="catalogue-approve-budget",
    ),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/<str:action>/", views.project_transition, name="transition"),
]
