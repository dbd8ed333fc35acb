"""Keys that seal bids until the opening (电子招标投标办法 2013, Arts 26 and 30).

- ``OpeningKey``: an officer's personal key pair; its private half is stored
  only encrypted with the officer's password.
- ``RoundSeal``: a round's public key and the k-of-n rule of its opening. The
  round's private key is never stored: it exists as ``RoundKeyShare`` rows,
  one per named opening officer, each wrapped for that officer's opening key.
- A share *presented* for the opening is kept, until the opening act, wrapped
  under the server's key (derived from ``SECRET_KEY``), so a database dump
  alone never holds a usable share.

Primitives: ``purchase_portal.sealing``; rules and writes:
``bidding.services.sealing``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .rounds import Round


class OpeningKey(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key holder"),
        on_delete=models.PROTECT,
        related_name="opening_key",
    )
    public_key = models.BinaryField(_("public key"), max_length=32)
    protected_private_key = models.BinaryField(_("private key (password-protected)"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("opening key")
        verbose_name_plural = _("opening keys")
        ordering = ["user_id"]

    def __str__(self) -> str:
        return str(self.user)


class RoundSeal(models.Model):
    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="seal"
    )
    threshold = models.PositiveSmallIntegerField(_("shares needed to open"))
    public_key = models.BinaryField(_("round public key"), max_length=32, null=True, blank=True)
    share_identifier = models.PositiveIntegerField(_("share set identifier"), null=True, blank=True)
    sealed_at = models.DateTimeField(_("key created at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round seal")
        verbose_name_plural = _("round seals")
        constraints = [
            models.CheckConstraint(condition=Q(threshold__gte=2), name="round_seal_threshold_min"),
        ]

    def __str__(self) -> str:
        return str(self.round)

    @property
    def is_sealed(self) -> bool:
        return self.public_key is not None


class RoundKeyShare(models.Model):
    seal = models.ForeignKey(
        RoundSeal, verbose_name=_("round seal"), on_delete=models.CASCADE, related_name="shares"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("key holder"),
        on_delete=models.PROTECT,
        related_name="round_key_shares",
    )
    order = models.PositiveSmallIntegerField(_("order"))
    wrapped_share = models.BinaryField(_("share (wrapped for the holder)"), null=True, blank=True)
    presented_share = models.BinaryField(_("presented share"), null=True, blank=True)
    presented_at = models.DateTimeField(_("presented at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round key share")
        verbose_name_plural = _("round key shares")
        ordering = ["seal_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["seal", "holder"], name="round_key_share_one_per_holder"
            ),
            models.UniqueConstraint(fields=["seal", "order"], name="round_key_share_unique_order"),
            models.CheckConstraint(
                condition=Q(presented_at__isnull=True) | Q(presented_share__isnull=False),
                name="round_key_share_presented_has_share",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seal} · {self.holder}"


__all__ = ["OpeningKey", "RoundKeyShare", "RoundSeal"]
