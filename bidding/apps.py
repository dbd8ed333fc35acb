from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiddingConfig(AppConfig):
    name = "bidding"
    verbose_name = _("Rounds and bids")

    def ready(self) -> None:
        from . import dashboard, sealing  # noqa: F401  (dashboard panels)

        sealing.register_audit_seals()
