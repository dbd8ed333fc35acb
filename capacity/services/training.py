"""Training: programmes, sessions, registration, attendance, certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _t

from organizations.models import Organization, User
from organizations.rules import memberships_of
from organizations.selectors import organization_admins
from purchase_portal import audit
from purchase_portal.errors import ConflictError, NotFoundError, PermissionDeniedError, invalid
from purchase_portal.notifications import notify
from purchase_portal.pdf import render_pdf
from purchase_portal.roles import is_federation_staff, is_officer

from ..models import Registration, TrainingProgramme, TrainingSession
from ..models.training import Audience
from ..rules import OrgRef, is_registration_org_admin
from ..workflows import REGISTRATION_WORKFLOW, SESSION_WORKFLOW
from .common import count, decimal, text

R = Registration.Status
S = TrainingSession.Status
MAX_SESSION_HOURS = Decimal("100")


def session_url(session: TrainingSession) -> str:
    return reverse("capacity:session-detail", args=[session.pk])


@transaction.atomic
def programme_create(
    *, user: User, title: str, description: str = "", audience: str, year: int
) -> TrainingProgramme:
    if not is_officer(user):
        raise PermissionDeniedError()
    errors: dict = {}
    title = text(title, "title", errors, max_length=200)
    description = text(description, "description", errors, required=False)
    if audience not in Audience.values:
        errors["audience"] = [_t("Choose a target group.")]
    this_year = timezone.localdate().year
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= this_year + 1:
        errors["year"] = [
            _t("Enter a year from 2000 to %(max)s.") % {"max": this_year + 1},
        ]
    if errors:
        raise invalid(errors)
    programme = TrainingProgramme.objects.create(
        title=title, description=description, audience=audience, year=year, created_by=user
    )
    audit.record(
        actor=user,
        action="training_programme.create",
        obj=programme,
        after=audit.snapshot(programme),
    )
    return programme


@transaction.atomic
def session_create(
    *,
    user: User,
    programme: TrainingProgramme,
    topic: str,
    trainer: str,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    place: str,
    capacity,
    hours,
) -> TrainingSession:
    if not is_officer(user):
        raise PermissionDeniedError()
    errors: dict = {}
    topic = text(topic, "topic", errors, max_length=200)
    trainer = text(trainer, "trainer", errors, max_length=200)
    place = text(place, "place", errors, max_length=200)
    places = count(capacity, "capacity", errors, maximum=10000)
    if "capacity" not in errors and places < 1:
        errors["capacity"] = [_t("A session needs at least one place.")]
    hours = decimal(hours, "hours", errors, minimum=Decimal(0), maximum=MAX_SESSION_HOURS, places=1)
    if not isinstance(starts_at, dt.datetime):
        errors["starts_at"] = [_t("Enter the start date and time.")]
    if not isinstance(ends_at, dt.datetime):
        errors["ends_at"] = [_t("Enter the end date and time.")]
    elif isinstance(starts_at, dt.datetime) and ends_at <= starts_at:
        errors["ends_at"] = [_t("The session must end after it starts.")]
    if errors:
        raise invalid(errors)
    session = TrainingSession.objects.create(
        programme=programme,
        topic=topic,
        trainer=trainer,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        capacity=places,
        hours=hours,
    )
    audit.record(
        actor=user, action="training_session.create", obj=session, after=audit.snapshot(session)
    )
    return session


def places_left(session: TrainingSession) -> int:
    taken = session.registrations.exclude(status=R.CANCELLED).count()
    return max(session.capacity - taken, 0)


def registration_open(session: TrainingSession, now: dt.datetime | None = None) -> bool:
    """Registration is open while the session is scheduled and has not started."""
    return session.status == S.SCHEDULED and session.starts_at > (now or timezone.now())


@transaction.atomic
def registration_create(
    *, user: User, session: TrainingSession, organization: Organization, participant: User
) -> Registration:
    """An organization's admin registers one of its members for a session.

    Someone who is not an admin of the organization, or a participant who is
    not its member, is answered "not found": the portal does not confirm who
    belongs to another organization."""
    if not is_registration_org_admin(user, OrgRef(organization.pk)):
        raise NotFoundError()
    if not participant.is_active or organization.pk not in memberships_of(participant):
        raise NotFoundError(_t("No such member in your organization."), code="no_such_member")
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if not registration_open(locked):
        raise ConflictError(
            _t("Registration for this session is closed."), code="registration_closed"
        )
    if (
        Registration.objects.filter(session=locked, participant=participant)
        .exclude(status=R.CANCELLED)
        .exists()
    ):
        raise invalid({"participant": [_t("This person is already registered.")]})
    if places_left(locked) < 1:
        raise ConflictError(_t("The session is full."), code="session_full")
    registration = Registration.objects.create(
        session=locked,
        organization=organization,
        participant=participant,
        registered_by=user,
        status=R.REGISTERED,
    )
    audit.record(
        actor=user,
        action="training_registration.create",
        obj=registration,
        after=audit.snapshot(registration),
    )
    notify(
        recipients=[participant],
        kind="training.registered",
        title=lambda: (
            _t("You are registered for the training “%(topic)s” on %(date)s")
            % {"topic": locked.topic, "date": f"{timezone.localtime(locked.starts_at):%Y-%m-%d}"}
        ),
        url=session_url(locked),
        obj=registration,
    )
    return registration


def registration_cancel(*, user: User, registration: Registration) -> Registration:
    def guard(locked: Registration) -> None:
        if locked.session.starts_at <= timezone.now():
            raise ConflictError(
                _t("A registration cannot be cancelled after the session has started."),
                code="session_started",
            )

    return REGISTRATION_WORKFLOW.run("cancel", obj=registration, user=user, guard=guard)


def certificate_number(registration: Registration) -> str:
    year = timezone.localtime(registration.session.starts_at).year
    return f"PX{year}-{registration.session_id:05d}-{registration.pk:06d}"


@transaction.atomic
def attendance_record(*, user: User, session: TrainingSession, attended_ids) -> TrainingSession:
    """The officer records who attended. Everyone else registered is absent.
    May be corrected later; the session is then ``completed``."""
    if not is_officer(user):
        raise PermissionDeniedError()
    locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
    if locked.status == S.CANCELLED:
        raise ConflictError(_t("The session was cancelled."), code="session_cancelled")
    if locked.starts_at > timezone.now():
        raise ConflictError(
            _t("Attendance can be recorded once the session has started."),
            code="session_not_started",
        )
    registrations = list(locked.registrations.exclude(status=R.CANCELLED).select_related("session"))
    known = {r.pk for r in registrations}
    try:
        wanted = {int(pk) for pk in attended_ids}
    except (TypeError, ValueError):
        raise invalid({"attended": [_t("Choose from the registered participants.")]}) from None
    if wanted - known:
        raise invalid({"attended": [_t("Choose from the registered participants.")]})
    newly_attended = []
    for registration in registrations:
        if registration.pk in wanted and registration.status != R.ATTENDED:
            REGISTRATION_WORKFLOW.run(
                "attend",
                obj=registration,
                user=user,
                changes=lambda r: {"certificate_number": certificate_number(r)},
            )
            newly_attended.append(registration)
        elif registration.pk not in wanted and registration.status != R.ABSENT:
            REGISTRATION_WORKFLOW.run(
                "absent", obj=registration, user=user, changes={"certificate_number": None}
            )
    if locked.status == S.SCHEDULED:
        SESSION_WORKFLOW.run(
            "complete", obj=locked, user=user, changes={"completed_at": timezone.now()}
        )
    for registration in newly_attended:
        notify(
            recipients=[registration.participant],
            kind="training.certificate",
            title=lambda: (
                _t("Your certificate for the training “%(topic)s” is ready")
                % {"topic": locked.topic}
            ),
            url=reverse("capacity:certificate", args=[registration.pk]),
            obj=registration,
        )
    return locked


def session_cancel(*, user: User, session: TrainingSession, reason: str) -> TrainingSession:
    errors: dict = {}
    reason = text(reason, "reason", errors)
    if errors:
        raise invalid(errors)

    def notify_all(locked: TrainingSession) -> None:
        open_regs = list(locked.registrations.filter(status=R.REGISTERED))
        for registration in open_regs:
            REGISTRATION_WORKFLOW.run("cancel", obj=registration, user=user)
        audit.record(
            actor=user,
            action="training_session.cancel_reason",
            obj=locked,
            after={"reason": reason},
        )
        notify(
            recipients=[r.participant for r in open_regs]
            + [a for r in open_regs for a in organization_admins(r.organization_id)],
            kind="training.cancelled",
            title=lambda: (
                _t("The training “%(topic)s” was cancelled: %(reason)s")
                % {"topic": locked.topic, "reason": reason}
            ),
            url=session_url(locked),
            obj=locked,
        )

    return SESSION_WORKFLOW.run("cancel", obj=session, user=user, notify=notify_all)


def can_download_certificate(user: User, registration: Registration) -> bool:
    return registration.status == R.ATTENDED and (
        is_federation_staff(user)
        or registration.participant_id == user.pk
        or registration.organization_id in memberships_of(user)
    )


def certificate_code(registration: Registration) -> str:
    """The code printed on a certificate: an HMAC of what it certifies, so a
    certificate cannot be made up or altered and still verify."""
    message = (
        f"{registration.certificate_number}|{registration.participant_id}|"
        f"{registration.session_id}|{registration.session.hours}"
    )
    digest = salted_hmac("capacity.certificate", message, algorithm="sha256").hexdigest()
    return digest[:16].upper()


def certificate_verify_url(registration: Registration) -> str:
    query = urlencode(
        {"number": registration.certificate_number, "code": certificate_code(registration)}
    )
    return f"{settings.SITE_URL}{reverse('capacity:certificate-verify')}?{query}"


def certificate_lookup(*, number: str, code: str) -> Registration | None:
    """The attended registration a certificate number and code belong to, if they match."""
    registration = (
        Registration.objects.filter(certificate_number=number, status=R.ATTENDED)
        .select_related("session__programme", "organization", "participant")
        .first()
    )
    if registration is None or not constant_time_compare(
        certificate_code(registration), code.strip().upper()
    ):
        return None
    return registration


def certificate_pdf(*, user: User, registration: Registration) -> tuple[bytes, str]:
    """The attendance certificate as PDF bytes, and its file name."""
    if not can_download_certificate(user, registration):
        raise NotFoundError()
    session = registration.session
    url = certificate_verify_url(registration)
    context = {
        "registration": registration,
        "session": session,
        "programme": session.programme,
        "participant_name": registration.participant.display_name,
        "organization": registration.organization,
        "issued_on": timezone.localtime(session.completed_at or session.ends_at).date(),
        "code": certificate_code(registration),
        "verify_url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=3, border=2),
    }
    # An official document: in the portal's language, whoever downloads it.
    data = render_pdf("capacity/pdf/certificate.html", context, language=settings.LANGUAGE_CODE)
    return data, f"{registration.certificate_number}.pdf"
