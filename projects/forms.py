from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import ServiceCategory, Street
from purchase_portal.forms import PlainDecimalField

from .models import CatalogueItem, DisabilityCategory, DisabilityGrade, PurchaseProject, TargetKind
from .selectors import catalogue_items_for_projects
from .services import MAX_MONTHS_RECURRING, MAX_TARGETS

MONEY = {"max_digits": 14, "decimal_places": 2}


class CatalogueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CatalogueItem) -> str:
        return f"{obj.year} {obj.code} {obj.name} ({obj.category.name}, {obj.budget:,.2f} CNY)"


class ProjectForm(forms.Form):
    """A project's terms. The service checks them again (catalogue budget, duration)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    catalogue_item = CatalogueChoiceField(
        label=_("Catalogue item"),
        queryset=CatalogueItem.objects.none(),
        help_text=_("Only items of the year's purchase catalogue with a budget may be bought."),
    )
    need = forms.CharField(
        label=_("Need and rationale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        required=False,
        help_text=_("Who needs the service, why, and what exists today. Required to submit."),
    )
    target_disability_categories = forms.MultipleChoiceField(
        label=_("Target disability categories"),
        choices=DisabilityCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    target_grades = forms.MultipleChoiceField(
        label=_("Target disability grades"),
        choices=DisabilityGrade.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    streets = forms.ModelMultipleChoiceField(
        label=_("Streets and towns served"),
        queryset=Street.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    planned_beneficiaries = forms.IntegerField(
        label=_("Planned beneficiaries"), min_value=0, max_value=10_000_000, initial=0
    )
    budget_ceiling = PlainDecimalField(
        label=_("Budget ceiling (CNY)"), min_value=Decimal("0.01"), **MONEY
    )
    duration_months = forms.IntegerField(
        label=_("Duration (months)"),
        min_value=1,
        max_value=MAX_MONTHS_RECURRING,
        initial=12,
        help_text=_("At most 12 months, or 36 for a recurring service."),
    )
    is_recurring = forms.BooleanField(label=_("Recurring service"), required=False)

    def __init__(self, *args, project: PurchaseProject | None = None, **kwargs):
        if project is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": project.title,
                "catalogue_item": project.catalogue_item_id,
                "need": project.need,
                "target_disability_categories": project.target_disability_categories,
                "target_grades": project.target_grades,
                "streets": [s.pk for s in project.streets.all()],
                "planned_beneficiaries": project.planned_beneficiaries,
                "budget_ceiling": project.budget_ceiling,
                "duration_months": project.duration_months,
                "is_recurring": project.is_recurring,
            }
        super().__init__(*args, **kwargs)
        items = catalogue_items_for_projects()
        if project is not None:
            # A draft keeps its item even if the item is no longer offered for new projects.
            items = items | CatalogueItem.objects.filter(pk=project.catalogue_item_id)
        self.fields["catalogue_item"].queryset = items.select_related("category").order_by(
            "year", "code"
        )

    def clean(self):
        data = super().clean()
        months, recurring = data.get("duration_months"), data.get("is_recurring")
        if months and months > 12 and not recurring:
            self.add_error(
                "duration_months",
                _("A project lasts at most 12 months; only a recurring service may last up to 36."),
            )
        return data


class TargetForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *TargetKind.choices])
    indicator = forms.CharField(label=_("Indicator"), max_length=200)
    target_value = PlainDecimalField(label=_("Target value"), min_value=Decimal("0"), **MONEY)
    unit = forms.CharField(label=_("Unit"), max_length=30)


class BaseTargetFormSet(forms.BaseFormSet):
    def targets(self) -> list[dict]:
        """Targets kept on the page, in order (deleted and blank rows left out)."""
        return [
            {k: f.cleaned_data[k] for k in ("kind", "indicator", "target_value", "unit")}
            for f in self.forms
            if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]


TargetFormSet = forms.formset_factory(
    TargetForm,
    formset=BaseTargetFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_TARGETS,
    validate_max=True,
)


def target_formset(data=None, *, project: PurchaseProject | None = None) -> BaseTargetFormSet:
    initial = []
    if project is not None:
        initial = [
            {
                "kind": t.kind,
                "indicator": t.indicator,
                "target_value": t.target_value,
                "unit": t.unit,
            }
            for t in project.targets.all()
        ]
    return TargetFormSet(data, initial=initial, prefix="targets")


class CatalogueItemForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=_("Name"), max_length=200)
    category = forms.ModelChoiceField(
        label=_("Service category"),
        queryset=ServiceCategory.objects.all(),
        to_field_name="code",
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    budget = PlainDecimalField(
        label=_("Budget (CNY)"),
        min_value=Decimal("0"),
        help_text=_(
            "Set by finance and approved by an approver (separation of duties, "
            "财会〔2012〕21号 Art 12); a changed budget needs a new approval."
        ),
        **MONEY,
    )
    is_active = forms.BooleanField(
        label=pgettext_lazy("catalogue item", "Active"), required=False, initial=True
    )

    def __init__(
        self, *args, item: CatalogueItem | None = None, with_budget: bool = True, **kwargs
    ):
        if "initial" not in kwargs:
            kwargs["initial"] = (
                {
                    "year": item.year,
                    "code": item.code,
                    "name": item.name,
                    "category": item.category.code,
                    "description": item.description,
                    "budget": item.budget,
                    "is_active": item.is_active,
                }
                if item is not None
                else {"year": timezone.localdate().year, "is_active": True}
            )
        super().__init__(*args, **kwargs)
        if not with_budget:
            # Officers describe the item; finance sets its budget.
            del self.fields["budget"]


class PlanYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]
