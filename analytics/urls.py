from django.urls import path

from . import views

app_name = "analytics"

urlpatterns = [
    path("", views.staff_page, name="overview"),
    path("refresh/", views.refresh, name="refresh"),
    path("mine/", views.own_figures, name="mine"),
    path("public/", views.public_statistics, name="public"),
    path("<slug:page>/", views.staff_page, name="page"),
]
