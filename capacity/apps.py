from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CapacityConfig(AppConfig):
    name = "capacity"
    verbose_name = _("Capacity building")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers the dashboard panel)
