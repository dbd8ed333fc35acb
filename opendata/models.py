"""Published open data: OCDS releases, contract publications and the bulk file."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from contracts.models import Contract


class Release(models.Model):
    """One OCDS release: a lifecycle event of one contracting process (ocid).

    ``release_id`` is stable: rebuilding the releases from the portal's data
    gives the same id for the same event, so a rebuild updates nothing that
    did not change (``digest`` is the SHA-256 of the canonical JSON).
    """

    release_id = models.CharField(_("release id"), max_length=200, unique=True)
    ocid = models.CharField(_("ocid"), max_length=150, db_index=True)
    date = models.DateTimeField(_("date"))
    tags = models.JSONField(_("tags"), default=list)
    data = models.JSONField(_("release"))
    digest = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("first published at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["-date", "-id"], name="ocds_release_newest"),
            models.Index(fields=["ocid", "date", "id"], name="ocds_release_ocid_date"),
        ]

    def __str__(self) -> str:
        return self.release_id


class ContractPublication(models.Model):
    """When a signed contract's public summary was (or must be) published.

    政府采购法实施条例 Art 50: a contract is published within 2 working days
    of signing; ``due_at`` is that deadline from the holiday calendar.
    """

    contract = models.OneToOneField(
        Contract,
        verbose_name=_("contract"),
        on_delete=models.PROTECT,
        related_name="publication",
    )
    signed_at = models.DateTimeField(_("signed by both sides at"))
    due_at = models.DateTimeField(_("to be published by"))
    published_at = models.DateTimeField(_("published at"), db_index=True)

    class Meta:
        verbose_name = _("contract publication")
        verbose_name_plural = _("contract publications")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contract_id} @ {self.published_at:%Y-%m-%d}"

    @property
    def on_time(self) -> bool:
        return self.published_at <= self.due_at


class BulkFile(models.Model):
    """The latest bulk download: every release as gzipped JSON Lines."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    file = models.FileField(_("file"), upload_to="opendata/", max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    release_count = models.PositiveIntegerField(_("releases"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    built_at = models.DateTimeField(_("built at"))
    build_seconds = models.DecimalField(_("build time (s)"), max_digits=9, decimal_places=3)

    class Meta:
        verbose_name = _("bulk file")
        verbose_name_plural = _("bulk files")

    def __str__(self) -> str:
        return self.name
