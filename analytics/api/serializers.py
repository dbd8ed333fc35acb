"""Explicit shapes of the analytics endpoints (shares are fractions 0–1)."""

from __future__ import annotations

from rest_framework import serializers

from purchase_portal.drf import PlainDecimalField

MONEY = {"max_digits": 16, "decimal_places": 2}
SHARE = {"max_digits": 9, "decimal_places": 4, "allow_null": True}
TENTH = {"max_digits": 9, "decimal_places": 1, "allow_null": True}


class ConcentrationRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    total_awarded = PlainDecimalField(**MONEY)
    organizations = serializers.IntegerField()
    hhi = PlainDecimalField(**TENTH)
    top3_share = PlainDecimalField(**SHARE)
    repeat_winner_rate = PlainDecimalField(**SHARE)
    new_entrant_rate = PlainDecimalField(**SHARE)
    price_to_cap = PlainDecimalField(**SHARE)


class CategoryConcentrationSerializer(serializers.Serializer):
    category = serializers.CharField()
    total_awarded = PlainDecimalField(**MONEY)
    organizations = serializers.IntegerField()
    hhi = PlainDecimalField(**TENTH)


class FundingShareSerializer(serializers.Serializer):
    organizations_share = PlainDecimalField(**SHARE)
    amount_share = PlainDecimalField(**SHARE)


class CompetitionRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    lots = serializers.IntegerField()
    bids = serializers.IntegerField()
    bids_per_lot = PlainDecimalField(max_digits=9, decimal_places=2, allow_null=True)
    single_bid_lots = serializers.IntegerField()
    failed_lots = serializers.IntegerField()
    single_or_failed_share = PlainDecimalField(**SHARE)


class DependencyRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    organizations = serializers.IntegerField()
    paid = PlainDecimalField(**MONEY)
    up_to_20 = serializers.IntegerField()
    from_20_to_50 = serializers.IntegerField()
    from_50_to_80 = serializers.IntegerField()
    over_80 = serializers.IntegerField()
    unknown = serializers.IntegerField()
    over_50_share = PlainDecimalField(**SHARE)


class OrganizationDependencySerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    organization_name = serializers.CharField(source="organization.name")
    year = serializers.IntegerField()
    paid = PlainDecimalField(**MONEY)
    income = PlainDecimalField(allow_null=True, **MONEY)
    dependency = PlainDecimalField(max_digits=12, decimal_places=4, allow_null=True)
    bids = serializers.IntegerField()
    wins = serializers.IntegerField()
    awarded = PlainDecimalField(**MONEY)


class ConductRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    payment_count = serializers.IntegerField()
    payment_median_days = PlainDecimalField(**TENTH)
    payment_late = serializers.IntegerField()
    signature_count = serializers.IntegerField()
    signature_median_days = PlainDecimalField(**TENTH)
    objection_count = serializers.IntegerField()
    objection_median_days = PlainDecimalField(**TENTH)
    objection_late = serializers.IntegerField()
    report_count = serializers.IntegerField()
    report_median_days = PlainDecimalField(**TENTH)
    rounds_published = serializers.IntegerField()
    full_period_share = PlainDecimalField(**SHARE)


class PerformanceFiguresSerializer(serializers.Serializer):
    reports_due = serializers.IntegerField()
    on_time_rate = PlainDecimalField(**SHARE)
    evaluations = serializers.IntegerField()
    average_score = PlainDecimalField(**TENTH)
    excellent = serializers.IntegerField()
    good = serializers.IntegerField()
    qualified = serializers.IntegerField()
    failed = serializers.IntegerField()


class PerformanceYearSerializer(PerformanceFiguresSerializer):
    year = serializers.IntegerField()


class PerformanceCategorySerializer(PerformanceFiguresSerializer):
    category = serializers.CharField()


class CultivationRowSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    cultivated = serializers.BooleanField()
    organizations = serializers.IntegerField()
    bids = serializers.IntegerField()
    wins = serializers.IntegerField()
    win_rate = PlainDecimalField(**SHARE)
    awarded = PlainDecimalField(**MONEY)
    average_score = PlainDecimalField(**TENTH)


class PublicYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    budget = PlainDecimalField(**MONEY)
    awarded = PlainDecimalField(allow_null=True, **MONEY)
    organizations = serializers.IntegerField()
    suppressed = serializers.BooleanField()


class PublicCategorySerializer(serializers.Serializer):
    category = serializers.CharField()
    budget = PlainDecimalField(**MONEY)
    awarded = PlainDecimalField(allow_null=True, **MONEY)
    organizations = serializers.IntegerField()
    suppressed = serializers.BooleanField()


class PublicStreetSerializer(serializers.Serializer):
    street = serializers.CharField()
    budget = PlainDecimalField(**MONEY)
    awarded = PlainDecimalField(allow_null=True, **MONEY)
    organizations = serializers.IntegerField()
    suppressed = serializers.BooleanField()


def envelope(name: str, **fields) -> type[serializers.Serializer]:
    """A response: when the figures were computed, and the figures."""
    attrs = {"refreshed_at": serializers.DateTimeField(allow_null=True), **fields}
    return type(name, (serializers.Serializer,), attrs)


ConcentrationSerializer = envelope(
    "AnalyticsConcentrationSerializer",
    years=ConcentrationRowSerializer(many=True),
    categories=CategoryConcentrationSerializer(many=True),
    funding_shares=FundingShareSerializer(many=True),
)
CompetitionSerializer = envelope(
    "AnalyticsCompetitionSerializer", years=CompetitionRowSerializer(many=True)
)
DependencySerializer = envelope(
    "AnalyticsDependencySerializer", years=DependencyRowSerializer(many=True)
)
ConductSerializer = envelope("AnalyticsConductSerializer", years=ConductRowSerializer(many=True))
PerformanceSerializer = envelope(
    "AnalyticsPerformanceSerializer",
    years=PerformanceYearSerializer(many=True),
    categories=PerformanceCategorySerializer(many=True),
)
CultivationSerializer = envelope(
    "AnalyticsCultivationSerializer", years=CultivationRowSerializer(many=True)
)
PublicSerializer = envelope(
    "AnalyticsPublicSerializer",
    years=PublicYearSerializer(many=True),
    categories=PublicCategorySerializer(many=True),
    streets=PublicStreetSerializer(many=True),
)
