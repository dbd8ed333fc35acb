from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization, User
from organizations.selectors import organization_members
from purchase_portal.forms import DateInput, PlainDecimalField

from .models import IncubationSupport
from .models.training import Audience


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ProgrammeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    audience = forms.ChoiceField(label=_("Target group"), choices=Audience.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class SessionForm(forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200)
    trainer = forms.CharField(label=_("Trainer"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=200)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10000)
    hours = PlainDecimalField(
        label=_("Training hours"),
        min_value=Decimal("0.1"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=1,
    )


class RegistrationForm(forms.Form):
    participant = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.none())

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = organization_members(organization).order_by(
            "name", "username"
        )
        self.fields["participant"].label_from_instance = lambda u: u.display_name


class AttendanceForm(forms.Form):
    attended = forms.MultipleChoiceField(
        label=_("Attended"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (str(r.pk), f"{r.participant.display_name} ({r.organization.name})")
            for r in registrations
        ]
        self.fields["attended"].initial = [
            str(r.pk) for r in registrations if r.status == r.Status.ATTENDED
        ]


class IncubationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization to incubate"),
        queryset=Organization.objects.filter(category=Organization.Category.SOCIAL).order_by(
            "name"
        ),
    )
    mentor_user = forms.ModelChoiceField(
        label=_("Mentor (person)"),
        required=False,
        queryset=User.objects.filter(is_active=True).order_by("name", "username"),
    )
    mentor_organization = forms.ModelChoiceField(
        label=_("Mentor (established organization)"),
        required=False,
        queryset=Organization.objects.filter(category=Organization.Category.SOCIAL).order_by(
            "name"
        ),
    )
    plan = forms.CharField(label=_("Incubation plan"), widget=forms.Textarea(attrs={"rows": 5}))
    started_on = forms.DateField(label=_("Start date"), widget=DateInput())
    planned_end_on = forms.DateField(label=_("Planned end date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor_user"].label_from_instance = lambda u: u.display_name


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200, required=False)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)


MilestoneFormSet = forms.formset_factory(MilestoneForm, extra=4, max_num=20)


class MilestoneAchieveForm(forms.Form):
    achieved_on = forms.DateField(label=_("Achieved on"), widget=DateInput())


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of support"), choices=IncubationSupport.Kind.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())
    description = forms.CharField(label=_("Description"), max_length=300)
    amount = PlainDecimalField(
        label=_("Amount (CNY)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("Required for seed funding."),
    )


class MentoringLogForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    hours = PlainDecimalField(
        label=_("Hours"),
        min_value=Decimal("0.1"),
        max_value=Decimal("24"),
        max_digits=5,
        decimal_places=1,
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class IncubationEndForm(forms.Form):
    ended_on = forms.DateField(label=_("End date"), widget=DateInput())
    reason = forms.CharField(
        label=_("Outcome or reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class QualificationForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    assistant_social_workers = forms.IntegerField(
        label=_("Assistant social workers (助理社会工作师)"), min_value=0, max_value=100000
    )
    social_workers = forms.IntegerField(
        label=_("Social workers (社会工作师)"), min_value=0, max_value=100000
    )
    senior_social_workers = forms.IntegerField(
        label=_("Senior social workers (高级社会工作师)"), min_value=0, max_value=100000
    )
    other_certificates = forms.IntegerField(
        label=_("Other professional certificates"), min_value=0, max_value=100000, initial=0
    )
    other_description = forms.CharField(
        label=_("Other certificates (which)"), required=False, max_length=300
    )

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class MinimumForm(forms.Form):
    min_certified = forms.IntegerField(
        label=_("Certified social workers, any level (at least)"), min_value=0, max_value=1000
    )
    min_social_workers_or_above = forms.IntegerField(
        label=_("社会工作师 or above (at least)"), min_value=0, max_value=1000, initial=0
    )
    min_senior = forms.IntegerField(
        label=_("高级社会工作师 (at least)"), min_value=0, max_value=1000, initial=0
    )


class CertificateVerifyForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=30)
    code = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\s*[0-9A-Fa-f]{16}\s*$",
        error_messages={"invalid": _("The code has 16 characters, 0–9 and A–F.")},
    )
