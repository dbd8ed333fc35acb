"""Forms of the review pages: expert pool, declarations, score sheets,
signatures, objections and answers."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from organizations.models import ServiceCategory
from purchase_portal.forms import PlainDecimalField

from ..models import Lot, LotAssignment, Objection
from ..services.scores import score_field

User = get_user_model()


class ExpertForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("The expert's sign-in name; the account must exist."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    employer = forms.CharField(label=_("Employer"), max_length=200, required=False)
    specialities = forms.ModelMultipleChoiceField(
        label=_("Specialities"),
        queryset=ServiceCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    active = forms.BooleanField(
        label=_("Active (may be drawn for panels)"), required=False, initial=True
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["username"].disabled = True

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = User.objects.filter(username__iexact=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user has this name."))
        self.user = user
        return username


class DeclarationForm(forms.Form):
    conflict = forms.ChoiceField(
        label=_("Your declaration"),
        choices=LotAssignment.Conflict.choices,
        widget=forms.RadioSelect,
    )
    organization = forms.ModelChoiceField(
        label=_("Bidder concerned"),
        queryset=None,
        required=False,
        help_text=_("For employment or directorship, or family ties: the bidder concerned."),
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for another conflict of interest."),
    )

    def __init__(self, *args, bidders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = bidders


class ScoreSheetForm(forms.Form):
    """One number input per qualified bid and technical criterion, labelled with
    the criterion's name and showing its guidance and range."""

    def __init__(self, *args, bids, criteria, initial_scores=None, locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        initial_scores = initial_scores or {}
        for bid in bids:
            names = []
            for criterion in criteria:
                name = score_field(bid.pk, criterion.pk)
                help_parts = [
                    str(
                        _("0 to %(max)s points, up to two decimals.")
                        % {"max": criterion.max_points}
                    )
                ]
                if criterion.guidance:
                    help_parts.insert(0, criterion.guidance)
                self.fields[name] = PlainDecimalField(
                    label=criterion.name,
                    required=False,
                    min_value=Decimal(0),
                    max_value=criterion.max_points,
                    max_digits=6,
                    decimal_places=2,
                    initial=initial_scores.get((bid.pk, criterion.pk)),
                    help_text=" ".join(help_parts),
                    disabled=locked,
                    widget=forms.NumberInput(
                        attrs={"step": "0.01", "min": "0", "max": str(criterion.max_points)}
                    ),
                )
                self.fields[name].bid_id = bid.pk
                self.fields[name].criterion_id = criterion.pk
                names.append(name)
            self.groups.append((bid, names))

    def grouped(self):
        return [(bid, [self[name] for name in names]) for bid, names in self.groups]

    def entries(self) -> list[dict]:
        return [
            {
                "bid": self.fields[name].bid_id,
                "criterion": self.fields[name].criterion_id,
                "points": value,
            }
            for name, value in self.cleaned_data.items()
            if value is not None
        ]


class SignForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing is an authenticated act: it is recorded with the time and address."),
    )
    dissent = forms.CharField(
        label=_("Dissenting opinion (optional)"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ObjectionForm(forms.Form):
    subject = forms.ChoiceField(
        label=_("Objection to"),
        choices=[c for c in Objection.Subject.choices if c[0] != Objection.Subject.CALL_DOCUMENTS],
        initial=Objection.Subject.AWARD,
        required=False,
    )
    lot = forms.ModelChoiceField(label=_("Lot"), queryset=Lot.objects.none())
    organization = forms.ModelChoiceField(label=_("On behalf of"), queryset=None)
    grounds = forms.CharField(
        label=_("Grounds of the objection"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_subject(self):
        return self.cleaned_data.get("subject") or Objection.Subject.AWARD

    def __init__(self, *args, lots, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("dismiss", _("Dismiss the objection")),
            ("uphold", _("Uphold the objection: the lot returns to review")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Answer"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
