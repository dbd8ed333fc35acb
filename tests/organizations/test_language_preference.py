"""Each user reads e-mail and notifications in their own language, chosen on their
profile page; the portal's remaining untranslated labels are translated."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail

from organizations.models import User
from organizations.services import user_language_set
from purchase_portal.errors import ApplicationError
from purchase_portal.models import AuditEvent, Notification
from purchase_portal.notifications import notify
from tests.factories import OrganizationFactory, UserFactory
from tests.helpers import as_user

pytestmark = pytest.mark.django_db


def test_a_user_sets_the_language_on_the_profile_page(django_app):
    user = UserFactory()
    page = django_app.get("/organizations/profile/", user=user)
    assert page.status_code == 200
    form = next(f for f in page.forms.values() if "language" in f.fields and f.action == "")
    form["language"] = "en"
    response = form.submit().follow()
    assert User.objects.get(pk=user.pk).language == "en"
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="user.language", object_id=str(user.pk)).exists()
    # The pages follow the preference.
    assert django_app.cookies.get(settings.LANGUAGE_COOKIE_NAME) == "en"


def test_a_language_the_portal_does_not_offer_is_refused(client):
    user = UserFactory()
    response = as_user(client, user).post("/organizations/profile/", {"language": "fr"})
    assert response.status_code == 200
    assert User.objects.get(pk=user.pk).language == ""
    with pytest.raises(ApplicationError):
        user_language_set(user=user, language="fr")


def test_the_profile_needs_a_signed_in_user(client):
    response = client.post("/organizations/profile/", {"language": "en"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.chinese_default
def test_notifications_reach_each_recipient_in_their_language(django_capture_on_commit_callbacks):
    from django.utils.translation import gettext as _t

    english = UserFactory(language="en", email="en@example.org")
    chinese = UserFactory(language="", email="zh@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[english, chinese],
            kind="test",
            title=lambda: (
                _t("Project approved: %(code)s %(title)s") % {"code": "P-1", "title": "康复"}
            ),
            body=lambda: _t("Skip to main content"),
        )
    by_user = {n.recipient_id: n for n in Notification.objects.all()}
    assert by_user[english.pk].title == "Project approved: P-1 康复"
    assert by_user[chinese.pk].title.startswith("项目已批准")
    assert by_user[english.pk].body == "Skip to main content"
    assert by_user[chinese.pk].body != "Skip to main content"
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects["en@example.org"] == "Project approved: P-1 康复"
    assert subjects["zh@example.org"].startswith("项目已批准")


@pytest.mark.chinese_default
def test_a_service_notification_follows_the_recipient_not_the_actor(officer, approver):
    """The approver works in Chinese; the officer who drafted the project reads English."""
    from django.utils import translation

    from tests.factories import CatalogueItemFactory, StreetFactory
    from tests.projects.helpers import S, make_project

    User.objects.filter(pk=officer.pk).update(language="en")
    officer.refresh_from_db()
    with translation.override("zh-hans"):
        make_project(
            officer,
            approver,
            CatalogueItemFactory(budget=Decimal("1000000.00")),
            [StreetFactory()],
            S.APPROVED,
        )
    note = Notification.objects.filter(recipient=officer, kind="project.approved").get()
    assert note.title.startswith("Project approved:"), note.title
    approvers = Notification.objects.filter(recipient=approver, kind="project.submitted").get()
    assert approvers.title.startswith("项目待审批"), approvers.title


@pytest.mark.chinese_default
def test_the_blank_choice_of_a_select_is_translated(client):
    org = OrganizationFactory()
    from tests.factories import MembershipFactory

    admin = MembershipFactory(organization=org, role="admin").user
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = as_user(client, admin).get(f"/organizations/{org.pk}/edit/").content.decode()
    assert "Select an option" not in page
    assert "请选择" in page


@pytest.mark.chinese_default
def test_a_project_detail_card_is_not_called_contract_terms(client, officer):
    from tests.factories.projects import PurchaseProjectFactory

    project = PurchaseProjectFactory(created_by=officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = as_user(client, officer).get(f"/projects/{project.pk}/").content.decode()
    assert "合同条款" not in page
    assert "项目概况" in page
