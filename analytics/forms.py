"""The filters every analytics page and endpoint takes (one validation for both)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bidding.models import Round
from organizations.models import ServiceCategory, Street

from .selectors import Filters, default_years

FIRST_YEAR = 2000
#: A range longer than this is refused: the pages show one column per year.
MAX_YEARS = 20


class AnalyticsFilterForm(forms.Form):
    year_from = forms.IntegerField(label=_("From year"), required=False)
    year_to = forms.IntegerField(label=_("To year"), required=False)
    category = forms.ModelChoiceField(
        label=_("Service category"),
        queryset=ServiceCategory.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All categories"),
    )
    street = forms.ModelChoiceField(
        label=_("Street or town"),
        queryset=Street.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All streets"),
    )
    kind = forms.ChoiceField(
        label=_("Round kind"),
        choices=[("", _("All kinds")), *Round.Kind.choices],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("year_from", "year_to"):
            self.fields[name].widget.attrs.update(min=FIRST_YEAR, max=self._last_year())

    @staticmethod
    def _last_year() -> int:
        return timezone.localdate().year + 1

    def _year(self, name: str) -> int | None:
        value = self.cleaned_data.get(name)
        if value is not None and not FIRST_YEAR <= value <= self._last_year():
            raise forms.ValidationError(
                _("Choose a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": self._last_year()},
                code="out_of_range",
            )
        return value

    def clean_year_from(self):
        return self._year("year_from")

    def clean_year_to(self):
        return self._year("year_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        default_to = default_years()[1]
        if "year_from" in self.errors or "year_to" in self.errors:
            return data
        end = end if end is not None else (default_to if start is None else max(start, default_to))
        start = start if start is not None else end - 4
        if start > end:
            self.add_error("year_to", _("The end year cannot be before the start year."))
        elif end - start + 1 > MAX_YEARS:
            self.add_error("year_from", _("Choose at most %(n)d years.") % {"n": MAX_YEARS})
        data["year_from"], data["year_to"] = start, end
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            year_from=data["year_from"],
            year_to=data["year_to"],
            category=data.get("category"),
            street=data.get("street"),
            kind=data.get("kind") or "",
        )


class PublicFilterForm(AnalyticsFilterForm):
    """The public page shows every category and street side by side: years only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("category", "street", "kind"):
            del self.fields[name]
