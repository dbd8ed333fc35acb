from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasePortalConfig(AppConfig):
    name = "purchase_portal"
    verbose_name = _("Portal core")

    def ready(self):
        from . import auditor_panel  # noqa: F401  (registers the auditor's dashboard panel)
        from .generation import connect_signals

        connect_signals()
