from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from bidding.models import Round
from organizations.models import Organization, User
from organizations.rules import memberships_of
from purchase_portal.drf import ERROR_RESPONSES
from purchase_portal.errors import ApplicationError, NotFoundError
from purchase_portal.roles import is_federation_staff

from .. import selectors, services
from ..filters import (
    IncubationFilter,
    MentoringLogFilter,
    ProgrammeFilter,
    QualificationFilter,
    RegistrationFilter,
    SessionFilter,
)
from ..models import (
    Incubation,
    MentoringLog,
    Registration,
    RoundStaffMinimum,
    StaffQualification,
    TrainingProgramme,
    TrainingSession,
)
from ..views.common import pdf_response
from .serializers import (
    IncubationCreateSerializer,
    IncubationDetailSerializer,
    IncubationEndSerializer,
    IncubationMilestoneAchieveSerializer,
    IncubationSerializer,
    IncubationSupportCreateSerializer,
    MentoringLogCreateSerializer,
    MentoringLogSerializer,
    RoundStaffCheckSerializer,
    RoundStaffMinimumInputSerializer,
    RoundStaffMinimumSerializer,
    StaffQualificationInputSerializer,
    StaffQualificationSerializer,
    TrainingAttendanceSerializer,
    TrainingHoursPageSerializer,
    TrainingHoursQuerySerializer,
    TrainingProgrammeCreateSerializer,
    TrainingProgrammeSerializer,
    TrainingRegistrationCreateSerializer,
    TrainingRegistrationSerializer,
    TrainingSessionCancelSerializer,
    TrainingSessionCreateSerializer,
    TrainingSessionSerializer,
)


def _payload(serializer_class, request) -> dict:
    payload = serializer_class(data=request.data, context={"request": request})
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def _get(model, pk, **filters):
    obj = model.objects.filter(pk=pk, **filters).first()
    if obj is None:
        raise NotFoundError()
    return obj


class _ReadCreate(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    http_method_names = ["get", "post", "head", "options"]


@extend_schema(responses={**ERROR_RESPONSES})
class TrainingProgrammeViewSet(_ReadCreate):
    """Training programmes (the catalogue, for every signed-in user); officers create them."""

    serializer_class = TrainingProgrammeSerializer
    queryset = TrainingProgramme.objects.none()
    filterset_class = ProgrammeFilter
    ordering_fields = ["id", "year"]

    def get_queryset(self):
        return selectors.programme_list(user=self.request.user)

    def get_object(self):
        return selectors.programme_get(user=self.request.user, pk=self.kwargs["pk"])

    @extend_schema(
        request=TrainingProgrammeCreateSerializer,
        responses={201: TrainingProgrammeSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(TrainingProgrammeCreateSerializer, request)
        programme = services.programme_create(user=request.user, **data)
        programme = selectors.programme_get(user=request.user, pk=programme.pk)
        return Response(TrainingProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={**ERROR_RESPONSES})
class TrainingSessionViewSet(_ReadCreate):
    """Sessions of the programmes; officers create them, cancel them and record attendance."""

    serializer_class = TrainingSessionSerializer
    queryset = TrainingSession.objects.none()
    filterset_class = SessionFilter
    ordering_fields = ["id", "starts_at"]

    def get_queryset(self):
        return selectors.session_list(user=self.request.user)

    def get_object(self):
        return selectors.session_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, session, code=status.HTTP_200_OK):
        session = selectors.session_get(user=self.request.user, pk=session.pk)
        return Response(TrainingSessionSerializer(session).data, status=code)

    @extend_schema(
        request=TrainingSessionCreateSerializer,
        responses={201: TrainingSessionSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(TrainingSessionCreateSerializer, request)
        session = services.session_create(user=request.user, **data)
        return self._detail(session, status.HTTP_201_CREATED)

    @extend_schema(
        request=TrainingSessionCancelSerializer,
        responses={200: TrainingSessionSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a scheduled session with a reason; registrations are cancelled (officers)."""
        session = self.get_object()
        data = _payload(TrainingSessionCancelSerializer, request)
        services.session_cancel(user=request.user, session=session, reason=data["reason"])
        return self._detail(session)

    @extend_schema(
        request=TrainingAttendanceSerializer,
        responses={200: TrainingSessionSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        """Record who attended (officers); everyone else registered is absent."""
        session = self.get_object()
        data = _payload(TrainingAttendanceSerializer, request)
        services.attendance_record(
            user=request.user, session=session, attended_ids=data["attended"]
        )
        return self._detail(session)


@extend_schema(responses={**ERROR_RESPONSES})
class RegistrationViewSet(_ReadCreate):
    """Registrations: all for federation staff; an organization's members see
    their organization's; a participant sees their own. An organization's
    admin registers its members (someone else's members: 404)."""

    serializer_class = TrainingRegistrationSerializer
    queryset = Registration.objects.none()
    filterset_class = RegistrationFilter
    ordering_fields = ["id"]

    def get_queryset(self):
        return selectors.registration_list(user=self.request.user)

    def get_object(self):
        return selectors.registration_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, registration, code=status.HTTP_200_OK):
        registration = selectors.registration_get(user=self.request.user, pk=registration.pk)
        return Response(TrainingRegistrationSerializer(registration).data, status=code)

    @extend_schema(
        request=TrainingRegistrationCreateSerializer,
        responses={201: TrainingRegistrationSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(TrainingRegistrationCreateSerializer, request)
        session = selectors.session_get(user=request.user, pk=data["session"])
        organization = _get(Organization, data["organization"])
        participant = _get(User, data["participant"])
        registration = services.registration_create(
            user=request.user, session=session, organization=organization, participant=participant
        )
        return self._detail(registration, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: TrainingRegistrationSerializer, **ERROR_RESPONSES})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel before the session starts (the organization's admin or an officer)."""
        registration = self.get_object()
        services.registration_cancel(user=request.user, registration=registration)
        return self._detail(registration)

    @extend_schema(responses={(200, "application/pdf"): bytes, **ERROR_RESPONSES})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """The attendance certificate as PDF (attended registrations only)."""
        registration = self.get_object()
        data, filename = services.certificate_pdf(user=request.user, registration=registration)
        return pdf_response(data, filename)


@extend_schema(responses={**ERROR_RESPONSES})
class IncubationViewSet(_ReadCreate):
    """Incubations: all for federation staff; the incubated organization's
    members and the mentor see theirs. Officers enter organizations, record
    support and end incubations (graduate or withdraw)."""

    serializer_class = IncubationSerializer
    queryset = Incubation.objects.none()
    filterset_class = IncubationFilter
    ordering_fields = ["id", "started_on"]

    def get_queryset(self):
        return selectors.incubation_list(user=self.request.user)

    def get_object(self):
        return selectors.incubation_get(user=self.request.user, pk=self.kwargs["pk"])

    def _detail(self, incubation, code=status.HTTP_200_OK):
        incubation = (
            selectors.incubation_list(user=self.request.user)
            .prefetch_related("milestones", "support")
            .get(pk=incubation.pk)
        )
        return Response(IncubationDetailSerializer(incubation).data, status=code)

    @extend_schema(responses={200: IncubationDetailSerializer, **ERROR_RESPONSES})
    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object())

    @extend_schema(
        request=IncubationCreateSerializer,
        responses={201: IncubationDetailSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(IncubationCreateSerializer, request)
        organization = _get(Organization, data["organization"])
        mentor_user = _get(User, data["mentor_user"]) if data.get("mentor_user") else None
        mentor_org = (
            _get(Organization, data["mentor_organization"])
            if data.get("mentor_organization")
            else None
        )
        incubation = services.incubation_create(
            user=request.user,
            organization=organization,
            mentor_user=mentor_user,
            mentor_organization=mentor_org,
            plan=data["plan"],
            started_on=data["started_on"],
            planned_end_on=data["planned_end_on"],
            milestones=[dict(m) for m in data["milestones"]],
        )
        return self._detail(incubation, status.HTTP_201_CREATED)

    @extend_schema(
        request=IncubationEndSerializer,
        responses={200: IncubationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def graduate(self, request, pk=None):
        """Graduate the organization once every milestone is achieved (officers)."""
        incubation = self.get_object()
        data = _payload(IncubationEndSerializer, request)
        services.incubation_graduate(user=request.user, incubation=incubation, **data)
        return self._detail(incubation)

    @extend_schema(
        request=IncubationEndSerializer,
        responses={200: IncubationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """End the incubation without graduation, with a reason (officers)."""
        incubation = self.get_object()
        data = _payload(IncubationEndSerializer, request)
        services.incubation_withdraw(user=request.user, incubation=incubation, **data)
        return self._detail(incubation)

    @extend_schema(
        request=IncubationSupportCreateSerializer,
        responses={200: IncubationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def support(self, request, pk=None):
        """Record support given: space, seed funding or other (officers)."""
        incubation = self.get_object()
        data = _payload(IncubationSupportCreateSerializer, request)
        data["kind"] = data.pop("support_kind")
        services.support_record(user=request.user, incubation=incubation, **data)
        return self._detail(incubation)

    @extend_schema(
        request=IncubationMilestoneAchieveSerializer,
        responses={200: IncubationDetailSerializer, **ERROR_RESPONSES},
    )
    @action(detail=True, methods=["post"])
    def achieve_milestone(self, request, pk=None):
        """Mark a milestone of the plan achieved (officers and the mentor)."""
        incubation = self.get_object()
        data = _payload(IncubationMilestoneAchieveSerializer, request)
        milestone = incubation.milestones.filter(pk=data["milestone"]).first()
        if milestone is None:
            raise NotFoundError()
        services.milestone_achieve(
            user=request.user, milestone=milestone, achieved_on=data["achieved_on"]
        )
        return self._detail(incubation)


@extend_schema(responses={**ERROR_RESPONSES})
class MentoringLogViewSet(_ReadCreate):
    """Mentoring logs; the mentor (or an officer) writes them."""

    serializer_class = MentoringLogSerializer
    queryset = MentoringLog.objects.none()
    filterset_class = MentoringLogFilter
    ordering_fields = ["id", "held_on"]

    def get_queryset(self):
        return selectors.mentoring_log_list(user=self.request.user)

    def get_object(self):
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        return obj

    @extend_schema(
        request=MentoringLogCreateSerializer,
        responses={201: MentoringLogSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(MentoringLogCreateSerializer, request)
        incubation = selectors.incubation_get(user=request.user, pk=data.pop("incubation"))
        log = services.mentoring_log_create(user=request.user, incubation=incubation, **data)
        log = self.get_queryset().get(pk=log.pk)
        return Response(MentoringLogSerializer(log).data, status=status.HTTP_201_CREATED)


@extend_schema(responses={**ERROR_RESPONSES})
class StaffQualificationViewSet(_ReadCreate):
    """Qualified staff counts per organization and year. POST enters or
    corrects a year's counts (the organization's admin or an officer)."""

    serializer_class = StaffQualificationSerializer
    queryset = StaffQualification.objects.none()
    filterset_class = QualificationFilter
    ordering_fields = ["id", "year"]

    def get_queryset(self):
        return selectors.qualification_list(user=self.request.user)

    def get_object(self):
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        return obj

    @extend_schema(
        request=StaffQualificationInputSerializer,
        responses={200: StaffQualificationSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(StaffQualificationInputSerializer, request)
        organization = _get(Organization, data.pop("organization"))
        row = services.qualification_save(user=request.user, organization=organization, **data)
        row = StaffQualification.objects.select_related("organization").get(pk=row.pk)
        return Response(StaffQualificationSerializer(row).data)


@extend_schema(responses={**ERROR_RESPONSES})
class RoundStaffMinimumViewSet(_ReadCreate):
    """A round's minimum of qualified staff (a qualification item). Everyone
    signed in reads those of published rounds; officers set it while the round
    is a draft; federation staff see each bidder's check once the bids are
    opened."""

    serializer_class = RoundStaffMinimumSerializer
    queryset = RoundStaffMinimum.objects.none()
    ordering_fields = ["id"]

    def get_queryset(self):
        qs = RoundStaffMinimum.objects.select_related("round")
        if is_federation_staff(self.request.user):
            return qs
        # A draft round is not public yet, nor are its qualification items.
        return qs.filter(round__published_at__isnull=False).exclude(
            round__status__in=[Round.Status.DRAFT, Round.Status.CANCELLED]
        )

    def get_object(self):
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise Http404
        return obj

    @extend_schema(
        request=RoundStaffMinimumInputSerializer,
        responses={200: RoundStaffMinimumSerializer, **ERROR_RESPONSES},
    )
    def create(self, request, *args, **kwargs):
        data = _payload(RoundStaffMinimumInputSerializer, request)
        round_ = _get(Round, data.pop("round"))
        row = services.round_minimum_set(user=request.user, round=round_, **data)
        row = self.get_queryset().get(pk=row.pk)
        return Response(RoundStaffMinimumSerializer(row).data)

    @extend_schema(responses={200: RoundStaffCheckSerializer(many=True), **ERROR_RESPONSES})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def checks(self, request, pk=None):
        """Each bidder of the opened round against the minimum (federation staff)."""
        if not is_federation_staff(request.user):
            raise NotFoundError()
        minimum = self.get_object()
        rows = [
            {
                "organization": org_id,
                "organization_name": name,
                "year": check.record.year if check.record else None,
                "met": check.met,
                "shortfalls": list(check.shortfalls),
            }
            for org_id, name, check in selectors.round_staff_checks(minimum=minimum)
        ]
        return Response(RoundStaffCheckSerializer(rows, many=True).data)


class TrainingHoursView(APIView):
    """Training hours of attended sessions per organization and year, or per
    person (``by=person``, one organization). Federation staff see every
    organization; members see their own organizations'. Keyset pages of whole
    organizations (or persons): pass ``next_after`` back as ``after``."""

    PAGE = 100

    @extend_schema(
        parameters=[TrainingHoursQuerySerializer],
        responses={200: TrainingHoursPageSerializer, **ERROR_RESPONSES},
    )
    def get(self, request):
        query = TrainingHoursQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        q = query.validated_data
        user = request.user
        allowed = None if is_federation_staff(user) else sorted(memberships_of(user))
        org_id = q.get("organization")
        if org_id is not None and allowed is not None and org_id not in allowed:
            raise NotFoundError()
        by_person = q["by"] == "person"
        if by_person and org_id is None:
            raise ApplicationError(
                _("Choose an organization."),
                fields={"organization": [_("Required for hours per person.")]},
            )
        key = "participant_id" if by_person else "organization_id"
        ids = [org_id] if org_id is not None else allowed
        attended = selectors.attended_registrations(organization_ids=ids, year=q.get("year"))
        keys = list(
            attended.filter(**{f"{key}__gt": q.get("after", 0)})
            .order_by(key)
            .values_list(key, flat=True)
            .distinct()[: self.PAGE + 1]
        )
        page_keys = keys[: self.PAGE]
        if by_person:
            rows = selectors.training_hours_by_person_year(
                organization_id=org_id, year=q.get("year")
            ).filter(participant_id__in=page_keys)
            results = [
                {
                    "organization": r["organization_id"],
                    "year": r["year"],
                    "participant": r["participant_id"],
                    "participant_name": r["participant__name"] or r["participant__username"],
                    "hours": r["hours"],
                    "people": None,
                    "sessions": None,
                }
                for r in rows.order_by("participant_id", "year")
            ]
        else:
            rows = selectors.training_hours_by_organization_year(
                organization_ids=page_keys, year_from=q.get("year"), year_to=q.get("year")
            )
            results = [
                {
                    "organization": r["organization_id"],
                    "year": r["year"],
                    "participant": None,
                    "participant_name": "",
                    "hours": r["hours"],
                    "people": r["people"],
                    "sessions": r["sessions"],
                }
                for r in rows
            ]
        next_after = page_keys[-1] if len(keys) > self.PAGE else None
        data = {"results": results, "next_after": next_after}
        return Response(TrainingHoursPageSerializer(data).data)
