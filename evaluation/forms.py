"""Forms of the evaluation pages. Services do the checking; forms parse input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bidding.models import Round
from organizations.models import Organization
from purchase_portal.forms import DateInput, PlainDecimalField
from purchase_portal.roles import Role, users_with_role

from .models import Evaluation, Indicator, Template

SURVEY_LABELS = [
    ("survey_very_satisfied", _("Very satisfied")),
    ("survey_satisfied", _("Satisfied")),
    ("survey_neutral", _("Neutral")),
    ("survey_dissatisfied", _("Dissatisfied")),
    ("survey_sample_size", _("Sample size")),
]


class AssignForm(forms.Form):
    evaluator_organization = forms.ModelChoiceField(
        label=_("Evaluator organization"),
        queryset=Organization.objects.filter(category=Organization.Category.EVALUATOR),
        required=False,
    )
    experts = forms.ModelMultipleChoiceField(
        label=_("Or a panel of experts"),
        queryset=users_with_role(Role.EXPERT),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    due_date = forms.DateField(label=_("Due date"), widget=DateInput(), required=False)


class RespondForm(forms.Form):
    text = forms.CharField(
        label=_("Your written response"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )


class FollowUpForm(forms.Form):
    follow_up = forms.ChoiceField(
        label=_("What followed"),
        choices=[c for c in Evaluation.FollowUp.choices if c[0]],
    )
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file (PDF, JPG or PNG)"))
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), required=False
    )
    title = forms.CharField(label=_("Title"), required=False, max_length=200)

    def __init__(self, *args, template: Template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = template.indicators.all()


class ChooseRoundForm(forms.Form):
    round = forms.ModelChoiceField(
        label=_("Round"), queryset=Round.objects.exclude(status=Round.Status.CANCELLED)
    )


class TemplateForm(forms.Form):
    """A template's settings; the indicator rows come as a formset
    (``IndicatorFormSet``), the tree follows the numbers (1 → 1.1 → 1.1.1)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    pass_line = PlainDecimalField(label=_("Pass line"), max_digits=6, decimal_places=2)
    good_from = PlainDecimalField(label=_("Good (良好) from"), max_digits=6, decimal_places=2)
    excellent_from = PlainDecimalField(
        label=_("Excellent (优秀) from"), max_digits=6, decimal_places=2
    )
    overdue_report_fails = forms.BooleanField(
        label=_("An overdue progress report fails the marked indicators"), required=False
    )


class IndicatorRowForm(forms.Form):
    code = forms.CharField(label=_("Number"), max_length=20, help_text=_("e.g. 1, 1.1, 1.1.1"))
    name = forms.CharField(label=_("Indicator"), max_length=200)
    max_points = PlainDecimalField(label=_("Maximum points"), max_digits=6, decimal_places=2)
    guidance = forms.CharField(
        label=_("Scoring guidance"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_expected = forms.CharField(label=_("Evidence expected"), required=False)
    source = forms.ChoiceField(label=_("Score source"), choices=Indicator.Source.choices)
    fails_on_overdue_report = forms.BooleanField(
        label=_("Fails on an overdue progress report"), required=False
    )


IndicatorFormSet = forms.formset_factory(IndicatorRowForm, extra=3, max_num=60, validate_max=True)


def nest_rows(rows: list[dict]) -> list[dict]:
    """Rows with dotted numbers → the nested tree the template service takes.
    A row whose parent number is missing stays at the top (the service then
    reports the sums)."""
    nodes = {}
    top = []
    for row in sorted(rows, key=lambda r: [p.zfill(4) for p in r["code"].split(".")]):
        node = {**row, "children": []}
        nodes[row["code"]] = node
        parent = row["code"].rsplit(".", 1)[0] if "." in row["code"] else None
        if parent and parent in nodes:
            nodes[parent]["children"].append(node)
        else:
            top.append(node)
    return top


def flatten(tree: list[dict]) -> list[dict]:
    out = []
    for node in tree:
        out.append({k: v for k, v in node.items() if k != "children"})
        out += flatten(node.get("children", []))
    return out


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Report PDF to check"))

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large; the limit is %(limit)s MB.")
                % {"limit": settings.UPLOAD_MAX_BYTES // 1048576}
            )
        return upload


class AnnualReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
