from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts and supervision")

    def ready(self) -> None:
        from purchase_portal import events

        from . import (
            dashboard,  # noqa: F401  (registers dashboard panels)
            figures,  # noqa: F401  (registers the charts of projects and the catalogue)
        )
        from .services import on_award_final

        events.subscribe("award.final", on_award_final)
