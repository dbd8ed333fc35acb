"""Staff qualifications per organization and year, and a round's minimum.

Levels follow the national social-work vocational qualification: 助理社会工作师
and 社会工作师 (《社会工作者职业水平评价暂行规定》, 国人部发〔2006〕71号) and
高级社会工作师 (《高级社会工作师评价办法》, 人社部规〔2018〕2号).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bidding.models import Round
from organizations.models import Organization


class StaffQualification(models.Model):
    """Counts of qualified staff an organization declares for a year (never names)."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="staff_qualifications",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    assistant_social_workers = models.PositiveIntegerField(
        _("assistant social workers (助理社会工作师)"), default=0
    )
    social_workers = models.PositiveIntegerField(_("social workers (社会工作师)"), default=0)
    senior_social_workers = models.PositiveIntegerField(
        _("senior social workers (高级社会工作师)"), default=0
    )
    other_certificates = models.PositiveIntegerField(
        _("other professional certificates"), default=0
    )
    other_description = models.CharField(
        _("other certificates (which)"), max_length=300, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("staff qualifications")
        verbose_name_plural = _("staff qualifications")
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="staff_qualification_once_per_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="staff_qualification_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.year}"

    @property
    def certified_total(self) -> int:
        return self.assistant_social_workers + self.social_workers + self.senior_social_workers


class RoundStaffMinimum(models.Model):
    """A round's qualification item (政府采购法 Art 22: specific conditions the
    service requires): at least so many certified social workers.

    Levels are cumulative: a 高级社会工作师 counts towards the 社会工作师 and
    the overall minimums too.
    """

    round = models.OneToOneField(
        Round,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="staff_minimum",
    )
    min_certified = models.PositiveIntegerField(
        _("certified social workers, any level (at least)"), default=0
    )
    min_social_workers_or_above = models.PositiveIntegerField(
        _("社会工作师 or above (at least)"), default=0
    )
    min_senior = models.PositiveIntegerField(_("高级社会工作师 (at least)"), default=0)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("minimum qualified staff")
        verbose_name_plural = _("minimum qualified staff")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_certified__gte=models.F("min_social_workers_or_above"))
                & Q(min_social_workers_or_above__gte=models.F("min_senior")),
                name="round_staff_minimum_levels_nested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}"
