from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from purchase_portal import events

        from . import dashboard  # noqa: F401  (registers the dashboard panel)
        from .services.publication import on_contract_active

        events.subscribe("contract.active", on_contract_active)
