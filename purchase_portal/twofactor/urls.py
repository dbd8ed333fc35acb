from django.urls import path

from . import views

app_name = "twofactor"

urlpatterns = [
    path("security/", views.security, name="security"),
    path("two-factor/verify/", views.verify, name="verify"),
    path("two-factor/setup/", views.setup, name="setup"),
    path("two-factor/disable/", views.disable, name="disable"),
]
