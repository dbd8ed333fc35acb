from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasePortalConfig(AppConfig):
    name = "purchase_portal"
    verbose_name = _("Portal core")
