"""Forms of the round and bid pages. They shape input; the services decide."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import ServiceCategory
from projects.models import TargetKind
from purchase_portal.forms import PlainDecimalField

from ..models import Bid, Round, RubricCriterion, TranchePlanItem
from ..services.opening import CHECKLIST

MONEY = {"max_digits": 14, "decimal_places": 2}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RoundForm(forms.ModelForm):
    code = forms.CharField(
        label=_("Round number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty to number the round automatically."),
    )

    class Meta:
        model = Round
        fields = [
            "code",
            "title",
            "kind",
            "procurement_method",
            "year",
            "description",
            "eligibility",
            "questions_until",
            "submission_deadline",
            "opening_at",
            "notice_days",
            "min_submission_days",
            "panel_size",
            "venture_cap",
            "welfare_price_deduction",
            "opening_delay_reason",
            "timeline_acknowledged",
        ]
        widgets = {
            "questions_until": DateTimeInput(),
            "submission_deadline": DateTimeInput(),
            "opening_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "opening_delay_reason": forms.Textarea(attrs={"rows": 2}),
        }

    #: The fields each set-up step of the round's page asks for (all of them without a step).
    STEPS = {
        "details": (
            "code",
            "title",
            "kind",
            "procurement_method",
            "year",
            "description",
            "eligibility",
            "venture_cap",
        ),
        "timeline": (
            "questions_until",
            "submission_deadline",
            "opening_at",
            "opening_delay_reason",
            "notice_days",
            "min_submission_days",
            "timeline_acknowledged",
        ),
        "panel": ("panel_size", "welfare_price_deduction"),
    }

    def __init__(self, *args, step: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if step in self.STEPS:
            for name in list(self.fields):
                if name not in self.STEPS[step]:
                    del self.fields[name]
        for name in ("questions_until", "submission_deadline", "opening_at"):
            if name in self.fields:
                self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if "kind" in self.fields and self.instance.pk and self.instance.lots.exists():
            self.fields["kind"].disabled = True
        # Left empty, the legal default (10 %) or the round's current value stays.
        if "welfare_price_deduction" in self.fields:
            self.fields["welfare_price_deduction"].required = False

    def _post_clean(self):
        # The service validates the round (and its timeline against the clock).
        pass

    def round_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not self.fields[k].disabled}
        if data.get("welfare_price_deduction") is None:
            data.pop("welfare_price_deduction", None)
        if self.instance.pk is None and not data.get("code"):
            data.pop("code", None)
        return data


class LotAddForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Approved project"), queryset=None, required=False, empty_label=_("Choose…")
    )
    category = forms.ModelChoiceField(
        label=_("Service category"),
        queryset=ServiceCategory.objects.all(),
        required=False,
        empty_label=_("Choose…"),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the project's or the category's name."),
    )
    cap = PlainDecimalField(
        label=_("Price cap (CNY)"),
        **MONEY,
        required=False,
        min_value=Decimal("0.01"),
        help_text=_("Leave empty for the project's budget ceiling or the round's cap per project."),
    )
    max_awards = forms.IntegerField(
        label=_("Projects to fund"), min_value=1, max_value=100, required=False
    )

    def __init__(self, *args, round: Round, projects=None, **kwargs):
        super().__init__(*args, **kwargs)
        if round.is_bidding:
            self.fields["project"].queryset = projects
            self.fields["project"].required = True
            self.fields["project"].label_from_instance = lambda p: (
                f"{p.code} {p.title} ({p.category.name}, {p.budget_ceiling})"
            )
            del self.fields["category"]
            del self.fields["max_awards"]
        else:
            del self.fields["project"]
            self.fields["category"].required = True


class LotEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    cap = PlainDecimalField(label=_("Price cap (CNY)"), **MONEY, min_value=Decimal("0.01"))
    max_awards = forms.IntegerField(label=_("Projects to fund"), min_value=1, max_value=100)

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        if round.is_bidding:
            del self.fields["max_awards"]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=RubricCriterion.Kind.choices,
        initial=RubricCriterion.Kind.TECHNICAL,
    )
    max_points = PlainDecimalField(
        label=_("Maximum points"), max_digits=6, decimal_places=2, min_value=Decimal("0.01")
    )
    guidance = forms.CharField(
        label=_("Scoring guidance"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TrancheForm(forms.Form):
    share = PlainDecimalField(
        label=_("Share (%)"), max_digits=5, decimal_places=2, min_value=Decimal("0.01")
    )
    condition = forms.ChoiceField(
        label=_("Condition"), choices=[("", _("Choose…")), *TranchePlanItem.Condition.choices]
    )


class RowFormSet(forms.BaseFormSet):
    """Rows the user filled in and did not mark for deletion."""

    def rows(self) -> list[dict]:
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and data.get("DELETE")):
                continue
            rows.append({k: v for k, v in data.items() if k != "DELETE"})
        return rows


CriterionFormSet = forms.formset_factory(
    CriterionForm, formset=RowFormSet, extra=5, can_delete=True, max_num=30, validate_max=True
)
# Three empty rows: the shares must add up to 100 % on every save, so the usual
# plan (on signing, after the mid-term, after the final evaluation) has to fit
# on the page at once.
TrancheFormSet = forms.formset_factory(
    TrancheForm, formset=RowFormSet, extra=3, can_delete=True, max_num=10, validate_max=True
)


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    organization = forms.ModelChoiceField(
        label=_("Asking for"), queryset=None, required=False, empty_label=None
    )

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        organizations = list(organizations)
        if len(organizations) > 1:
            from organizations.models import Organization

            self.fields["organization"].queryset = Organization.objects.filter(
                pk__in=[o.pk for o in organizations]
            )
            self.fields["organization"].required = True
        else:
            del self.fields["organization"]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )
    affects_bids = forms.BooleanField(
        label=_("This answer affects the preparation of bids"),
        required=False,
        help_text=_(
            "Less than 15 days before the deadline, the deadline moves to 15 days after "
            "the answer (87号令 Art 27)."
        ),
    )


class DeadlineExtensionForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("New submission deadline"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class PrepareBidForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Bid for"), queryset=None, empty_label=None)

    def __init__(self, *args, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        from organizations.models import Organization

        self.fields["organization"].queryset = Organization.objects.filter(
            pk__in=[o.pk for o in organizations]
        )


class BidForm(forms.ModelForm):
    class Meta:
        model = Bid
        fields = ["price", "proposal_title", "service_plan", "team", "schedule"]
        widgets = {
            "service_plan": forms.Textarea(attrs={"rows": 8}),
            "team": forms.Textarea(attrs={"rows": 4}),
            "schedule": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["price"].min_value = Decimal("0.01")
        self.fields["price"].widget.attrs["min"] = "0.01"
        if round.is_bidding:
            del self.fields["proposal_title"]
            self.fields["price"].label = _("Bid price (CNY)")
        else:
            self.fields["price"].label = _("Funding requested (CNY)")
            self.fields["proposal_title"].required = True

    def _post_clean(self):
        pass

    def bid_data(self) -> dict:
        return dict(self.cleaned_data)


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("Budget item"), max_length=200)
    amount = PlainDecimalField(label=_("Amount (CNY)"), **MONEY, min_value=Decimal("0"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Choose…")), *TargetKind.choices])
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    target_value = PlainDecimalField(label=_("Target value"), **MONEY, min_value=Decimal("0"))
    unit = forms.CharField(label=_("Unit"), max_length=30)


BudgetLineFormSet = forms.formset_factory(
    BudgetLineForm, formset=RowFormSet, extra=2, can_delete=True, max_num=100, validate_max=True
)
TargetFormSet = forms.formset_factory(
    TargetForm, formset=RowFormSet, extra=1, can_delete=True, max_num=100, validate_max=True
)


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )


class QualificationForm(forms.Form):
    registration_valid = forms.BooleanField(label=_("Valid registration"), required=False)
    annual_inspection_passed = forms.BooleanField(
        label=_("Annual inspection passed"), required=False
    )
    no_serious_violation = forms.BooleanField(
        label=_("No serious violation in the last 3 years"), required=False
    )
    documents_complete = forms.BooleanField(label=_("Required documents present"), required=False)
    credit_code_checked = forms.BooleanField(label=_("Credit code checked"), required=False)
    reason = forms.CharField(
        label=_("Reason for disqualification (shown to the bidder)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )

    def checks(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in CHECKLIST}


class OpeningKeyForm(forms.Form):
    password = forms.CharField(
        label=_("Key password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters. Only you know it: it is asked again when you present "
            "your share at an opening, and a forgotten password cannot be recovered."
        ),
    )
    password_again = forms.CharField(
        label=_("Key password again"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class KeyHoldersForm(forms.Form):
    holders = forms.ModelMultipleChoiceField(
        label=_("Opening officers"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Officers with an opening key. Each receives one share of the round's key."),
    )
    threshold = forms.IntegerField(
        label=_("Shares needed to open"),
        min_value=2,
        max_value=9,
        initial=2,
        help_text=_("How many of them must present their share at the opening (at least 2)."),
    )

    def __init__(self, *args, holders_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holders"].queryset = holders_queryset
        self.fields["holders"].label_from_instance = lambda u: u.display_name


class SharePresentForm(forms.Form):
    password = forms.CharField(
        label=_("Key password"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
