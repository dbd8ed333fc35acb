from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "purchase_portal.twofactor"
    label = "twofactor"
    verbose_name = _("Two-factor authentication")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .services import remember_device_at_login

        user_logged_in.connect(remember_device_at_login, dispatch_uid="twofactor-login")
