"""Serializers of the capacity API: explicit fields; input serializers are strict."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from purchase_portal.drf import PlainDecimalField, ScopedPrimaryKeyRelatedField, StrictSerializer

from ..models import (
    Incubation,
    IncubationMilestone,
    IncubationSupport,
    MentoringLog,
    Registration,
    RoundStaffMinimum,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)
from ..models.training import Audience
from ..selectors.lists import programme_list


class TrainingProgrammeSerializer(serializers.ModelSerializer):
    session_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingProgramme
        fields = ["id", "title", "description", "audience", "year", "session_count", "created_at"]
        read_only_fields = fields


class TrainingProgrammeCreateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    audience = serializers.ChoiceField(choices=Audience.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class TrainingSessionSerializer(serializers.ModelSerializer):
    programme_title = serializers.CharField(source="programme.title", read_only=True)
    audience = serializers.CharField(source="programme.audience", read_only=True)
    registered_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TrainingSession
        fields = [
            "id",
            "programme",
            "programme_title",
            "audience",
            "topic",
            "trainer",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "registered_count",
            "hours",
            "status",
            "completed_at",
        ]
        read_only_fields = fields


class TrainingSessionCreateSerializer(StrictSerializer):
    # Any programme the user may see; who may add a session is the service's rule (403).
    programme = ScopedPrimaryKeyRelatedField(
        queryset=TrainingProgramme.objects.all(), scope=programme_list
    )
    topic = serializers.CharField(max_length=200)
    trainer = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    hours = PlainDecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("100")
    )


class TrainingSessionCancelSerializer(StrictSerializer):
    reason = serializers.CharField()


class TrainingAttendanceSerializer(StrictSerializer):
    attended = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=True,
        help_text=_("Ids of the registrations whose participant attended; all others are absent."),
    )


class TrainingRegistrationSerializer(serializers.ModelSerializer):
    session_topic = serializers.CharField(source="session.topic", read_only=True)
    session_starts_at = serializers.DateTimeField(source="session.starts_at", read_only=True)
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    participant_name = serializers.CharField(source="participant.display_name", read_only=True)
    hours = PlainDecimalField(
        source="session.hours", max_digits=5, decimal_places=1, read_only=True
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "session_topic",
            "session_starts_at",
            "organization",
            "organization_name",
            "participant",
            "participant_name",
            "status",
            "hours",
            "certificate_number",
            "registered_at",
        ]
        read_only_fields = fields


class TrainingRegistrationCreateSerializer(StrictSerializer):
    session = serializers.IntegerField(min_value=1)
    organization = serializers.IntegerField(min_value=1)
    participant = serializers.IntegerField(min_value=1)


class IncubationMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncubationMilestone
        fields = ["id", "title", "due_on", "achieved_on"]
        read_only_fields = fields


class IncubationMilestoneInputSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    due_on = serializers.DateField()


class IncubationSupportSerializer(serializers.ModelSerializer):
    support_kind = serializers.ChoiceField(
        source="kind", choices=IncubationSupport.Kind.choices, read_only=True
    )

    class Meta:
        model = IncubationSupport
        fields = ["id", "support_kind", "given_on", "description", "amount"]
        read_only_fields = fields


class IncubationSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    mentor_user_name = serializers.CharField(
        source="mentor_user.display_name", read_only=True, default=None
    )
    mentor_organization_name = serializers.CharField(
        source="mentor_organization.name", read_only=True, default=None
    )
    mentoring_hours = PlainDecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = Incubation
        fields = [
            "id",
            "organization",
            "organization_name",
            "mentor_user",
            "mentor_user_name",
            "mentor_organization",
            "mentor_organization_name",
            "plan",
            "started_on",
            "planned_end_on",
            "ended_on",
            "end_reason",
            "status",
            "mentoring_hours",
        ]
        read_only_fields = fields


class IncubationDetailSerializer(IncubationSerializer):
    milestones = IncubationMilestoneSerializer(many=True, read_only=True)
    support = IncubationSupportSerializer(many=True, read_only=True)

    class Meta(IncubationSerializer.Meta):
        fields = [*IncubationSerializer.Meta.fields, "milestones", "support"]
        read_only_fields = fields


class IncubationCreateSerializer(StrictSerializer):
    organization = serializers.IntegerField(min_value=1)
    mentor_user = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    mentor_organization = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    plan = serializers.CharField()
    started_on = serializers.DateField()
    planned_end_on = serializers.DateField()
    milestones = IncubationMilestoneInputSerializer(many=True)


class IncubationEndSerializer(StrictSerializer):
    ended_on = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class IncubationMilestoneAchieveSerializer(StrictSerializer):
    milestone = serializers.IntegerField(min_value=1)
    achieved_on = serializers.DateField()


class IncubationSupportCreateSerializer(StrictSerializer):
    support_kind = serializers.ChoiceField(choices=IncubationSupport.Kind.choices)
    given_on = serializers.DateField()
    description = serializers.CharField(max_length=300)
    amount = PlainDecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal(0), required=False, allow_null=True
    )


class MentoringLogSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="incubation.organization.name", read_only=True)
    author_name = serializers.CharField(source="author.display_name", read_only=True)

    class Meta:
        model = MentoringLog
        fields = [
            "id",
            "incubation",
            "organization_name",
            "author",
            "author_name",
            "held_on",
            "hours",
            "topic",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class MentoringLogCreateSerializer(StrictSerializer):
    incubation = serializers.IntegerField(min_value=1)
    held_on = serializers.DateField()
    hours = PlainDecimalField(
        max_digits=5, decimal_places=1, min_value=Decimal("0.1"), max_value=Decimal("24")
    )
    topic = serializers.CharField(max_length=200)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class StaffQualificationSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)

    class Meta:
        model = StaffQualification
        fields = [
            "id",
            "organization",
            "organization_name",
            "year",
            "assistant_social_workers",
            "social_workers",
            "senior_social_workers",
            "other_certificates",
            "other_description",
            "updated_at",
        ]
        read_only_fields = fields


class StaffQualificationInputSerializer(StrictSerializer):
    organization = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    assistant_social_workers = serializers.IntegerField(min_value=0, max_value=100000)
    social_workers = serializers.IntegerField(min_value=0, max_value=100000)
    senior_social_workers = serializers.IntegerField(min_value=0, max_value=100000)
    other_certificates = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    other_description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class RoundStaffMinimumSerializer(serializers.ModelSerializer):
    round_code = serializers.CharField(source="round.code", read_only=True)

    class Meta:
        model = RoundStaffMinimum
        fields = [
            "id",
            "round",
            "round_code",
            "min_certified",
            "min_social_workers_or_above",
            "min_senior",
            "updated_at",
        ]
        read_only_fields = fields


class RoundStaffMinimumInputSerializer(StrictSerializer):
    round = serializers.IntegerField(min_value=1)
    min_certified = serializers.IntegerField(min_value=0, max_value=1000)
    min_social_workers_or_above = serializers.IntegerField(min_value=0, max_value=1000, default=0)
    min_senior = serializers.IntegerField(min_value=0, max_value=1000, default=0)


class RoundStaffCheckSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    organization_name = serializers.CharField()
    year = serializers.IntegerField(allow_null=True, help_text=_("Year of the counts used."))
    met = serializers.BooleanField(
        allow_null=True, help_text=_("Null when the organization has no counts for the year.")
    )
    shortfalls = serializers.ListField(child=serializers.CharField())


class TrainingHoursQuerySerializer(StrictSerializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    organization = serializers.IntegerField(min_value=1, required=False)
    by = serializers.ChoiceField(
        choices=[("organization", _("Organization")), ("person", _("Person"))],
        default="organization",
    )
    after = serializers.IntegerField(
        min_value=0,
        required=False,
        help_text=_("Keyset paging: the next_after value of the previous page."),
    )


class TrainingHoursRowSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    year = serializers.IntegerField()
    participant = serializers.IntegerField(allow_null=True)
    participant_name = serializers.CharField(allow_blank=True)
    hours = PlainDecimalField(max_digits=10, decimal_places=1)
    people = serializers.IntegerField(allow_null=True)
    sessions = serializers.IntegerField(allow_null=True)


class TrainingHoursPageSerializer(serializers.Serializer):
    results = TrainingHoursRowSerializer(many=True)
    next_after = serializers.IntegerField(allow_null=True)
