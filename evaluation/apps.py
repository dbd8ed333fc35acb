from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from purchase_portal import events

        from . import dashboard  # noqa: F401  (registers dashboard panels)
        from .services import on_contract_active

        events.subscribe("contract.active", on_contract_active)
