from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Street
from projects.models import DisabilityCategory
from purchase_portal.forms import DateInput, PlainDecimalField

from .models import Contract, ContractSignature, PaymentTranche, SiteVisit

FILE_HELP = _("PDF, JPEG or PNG, at most 20 MB.")
FILE_WIDGET = forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"})


class ContractForm(forms.Form):
    start_date = forms.DateField(label=_("Start date"), widget=DateInput())
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    deliverables = forms.CharField(
        label=_("Deliverables"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    report_frequency = forms.ChoiceField(
        label=_("Progress reports"), choices=Contract.ReportFrequency.choices
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data


class SideForm(forms.Form):
    side = forms.ChoiceField(label=_("Sign for"), choices=ContractSignature.Side.choices)


class AmendmentForm(forms.Form):
    """What changes and why. Leave a term empty to keep it; the tranche shares
    are shown with their current values."""

    reason = forms.CharField(
        label=_("Why the contract changes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    amount = PlainDecimalField(
        label=_("New amount (CNY)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    end_date = forms.DateField(label=_("New end date"), widget=DateInput(), required=False)
    deliverables = forms.CharField(
        label=_("New deliverables"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.tranches = list(contract.tranches.order_by("order"))
        for t in self.tranches:
            fixed = t.status in PaymentTranche.FIXED_STATUSES
            self.fields[f"share_{t.order}"] = PlainDecimalField(
                label=_("Tranche %(n)s share (%%)") % {"n": t.order},
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                initial=t.share,
                disabled=fixed,
                help_text=_("Requested or paid: cannot change.") if fixed else "",
            )
            self.fields[f"condition_{t.order}"] = forms.ChoiceField(
                label=_("Tranche %(n)s condition") % {"n": t.order},
                choices=PaymentTranche.Condition.choices,
                initial=t.condition,
                disabled=fixed or t.status != PaymentTranche.Status.PENDING,
            )
        self.fields["new_share"] = PlainDecimalField(
            label=_("Add a tranche: share (%)"),
            max_digits=5,
            decimal_places=2,
            min_value=0,
            max_value=100,
            required=False,
        )
        self.fields["new_condition"] = forms.ChoiceField(
            label=_("Add a tranche: condition"),
            choices=PaymentTranche.Condition.choices,
            required=False,
        )

    def changes(self) -> dict:
        data = self.cleaned_data
        result = {"reason": data["reason"]}
        if data.get("amount") is not None:
            result["amount"] = data["amount"]
        if data.get("end_date"):
            result["end_date"] = data["end_date"]
        if (data.get("deliverables") or "").strip():
            result["deliverables"] = data["deliverables"]
        spec = [
            {
                "order": t.order,
                "share": data[f"share_{t.order}"],
                "condition": data[f"condition_{t.order}"],
            }
            for t in self.tranches
        ]
        changed = any(
            (row["share"], row["condition"]) != (t.share, t.condition)
            for row, t in zip(spec, self.tranches, strict=True)
        )
        if data.get("new_share"):
            spec.append(
                {
                    "order": max((t.order for t in self.tranches), default=0) + 1,
                    "share": data["new_share"],
                    "condition": data.get("new_condition") or PaymentTranche.Condition.ON_SIGNING,
                }
            )
            changed = True
        if changed:
            result["tranches"] = spec
        return result


class PayForm(forms.Form):
    paid_on = forms.DateField(label=_("Paid on"), widget=DateInput())
    reference = forms.CharField(label=_("Payment reference"), max_length=100)


class CommentsForm(forms.Form):
    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
    )


class ReportForm(forms.Form):
    """A progress report's content: figures only, no personal data."""

    activities = forms.CharField(
        label=_("Activities held"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20000,
        required=False,
    )
    activity_count = forms.IntegerField(label=_("Number of activities"), min_value=0)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.targets = list(report.contract.targets.all())
        self.budget_lines = list(report.contract.budget_lines.all())
        outputs = {o.target_id: o.achieved_value for o in report.outputs.all()}
        spending = {s.budget_line_id: s for s in report.spending.all()}
        for t in self.targets:
            self.fields[f"output_{t.pk}"] = PlainDecimalField(
                label=_("%(indicator)s (target %(value)s %(unit)s)")
                % {"indicator": t.indicator, "value": t.target_value, "unit": t.unit},
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=outputs.get(t.pk),
            )
        for b in self.budget_lines:
            s = spending.get(b.pk)
            self.fields[f"spent_{b.pk}"] = PlainDecimalField(
                label=_("%(item)s: spent (budget %(amount)s CNY)")
                % {"item": b.item, "amount": b.amount},
                max_digits=14,
                decimal_places=2,
                min_value=0,
                required=False,
                initial=s.amount if s else None,
            )
            self.fields[f"reason_{b.pk}"] = forms.CharField(
                label=_("%(item)s: reason if over budget") % {"item": b.item},
                required=False,
                max_length=2000,
                initial=s.over_budget_reason if s else "",
            )

    def output_fields(self):
        return [self[f"output_{t.pk}"] for t in self.targets]

    def spending_fields(self):
        return [(self[f"spent_{b.pk}"], self[f"reason_{b.pk}"]) for b in self.budget_lines]

    def content(self, beneficiaries: list[dict]) -> dict:
        data = self.cleaned_data
        return {
            "activities": data.get("activities") or "",
            "activity_count": data.get("activity_count"),
            "beneficiaries": beneficiaries,
            "outputs": [
                {"target": t.pk, "achieved_value": data[f"output_{t.pk}"]}
                for t in self.targets
                if data.get(f"output_{t.pk}") is not None
            ],
            "spending": [
                {
                    "budget_line": b.pk,
                    "amount": data[f"spent_{b.pk}"],
                    "over_budget_reason": data.get(f"reason_{b.pk}") or "",
                }
                for b in self.budget_lines
                if data.get(f"spent_{b.pk}") is not None
            ],
        }


class BeneficiaryForm(forms.Form):
    disability_category = forms.ChoiceField(
        label=_("Disability category"),
        choices=[("", "—"), *DisabilityCategory.choices],
        required=False,
    )
    street = forms.ModelChoiceField(
        label=_("Street or town"), queryset=Street.objects.all(), required=False
    )
    count = forms.IntegerField(label=_("Beneficiaries served"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        filled = [data.get("disability_category"), data.get("street"), data.get("count")]
        if any(v not in (None, "") for v in filled) and not all(
            v not in (None, "") for v in filled
        ):
            raise forms.ValidationError(_("Fill in the category, the street and the count."))
        return data


BeneficiaryFormSet = forms.formset_factory(BeneficiaryForm, extra=3, max_num=200)


#: Reminder on every evidence upload (个人信息保护法 Arts 6, 28: collect no more personal
#: information than needed; disability data is sensitive personal information).
EVIDENCE_PRIVACY_HELP = _(
    "Do not include beneficiaries' names or ID numbers: black them out on sign-in sheets "
    "and photos (Personal Information Protection Law Arts 6, 28)."
)


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Evidence file"),
        help_text=format_lazy("{} {}", FILE_HELP, EVIDENCE_PRIVACY_HELP),
        widget=FILE_WIDGET,
    )


class SiteVisitForm(forms.Form):
    visit_date = forms.DateField(label=_("Visit date"), widget=DateInput())
    findings = forms.CharField(
        label=_("Findings"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )
    rating = forms.ChoiceField(label=_("Rating"), choices=SiteVisit.Rating.choices)


class RectificationItemForm(forms.Form):
    description = forms.CharField(
        label=_("What must be rectified"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
    )
    deadline = forms.DateField(
        label=pgettext_lazy("rectification", "Deadline"), widget=DateInput(), required=False
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("description")) != bool(data.get("deadline")):
            raise forms.ValidationError(_("Give both the description and the deadline."))
        return data


RectificationFormSet = forms.formset_factory(RectificationItemForm, extra=2, max_num=20)


class RespondForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    file = forms.FileField(
        label=_("Evidence file"), help_text=FILE_HELP, widget=FILE_WIDGET, required=False
    )
