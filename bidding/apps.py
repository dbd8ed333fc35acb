from importlib import import_module
from importlib.util import find_spec

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BiddingConfig(AppConfig):
    name = "bidding"
    verbose_name = _("Rounds and bids")

    def ready(self) -> None:
        from . import dashboard  # noqa: F401  (registers dashboard panels)

        # The review part (panels, scores, awards) registers its own panels.
        if find_spec("bidding.dashboard_review") is not None:
            import_module("bidding.dashboard_review")
