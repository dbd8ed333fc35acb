"""The portal's form renderer writes the same HTML as Django's templates, for
every form of the portal: unbound, bound with valid-looking data and bound
with errors (purchase_portal.form_rendering)."""

from __future__ import annotations

import contextlib
import importlib
import inspect

import django_filters
import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.loader import render_to_string
from django.utils import translation

from purchase_portal.form_rendering import PortalFormRenderer
from tests.core.test_layering import APPS as LAYERED_APPS

pytestmark = pytest.mark.django_db

APPS = ["purchase_portal", *LAYERED_APPS]


def _classes(base) -> list[type]:
    for app in APPS:
        for module in ("forms", "filters", "twofactor.forms"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")
    seen, todo = [], list(base.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in APPS and cls not in seen:
            seen.append(cls)
    return seen


def _forms():
    """Every portal form and filter form that can be built without arguments."""
    built = []
    for cls in _classes(forms.BaseForm):
        if inspect.isabstract(cls):
            continue
        try:
            built.append((cls.__name__, lambda cls=cls, data=None: cls(data)))
        except TypeError:
            continue
    for cls in _classes(django_filters.FilterSet):
        if cls._meta.model is None:
            continue
        built.append(
            (
                cls.__name__,
                lambda cls=cls, data=None: cls(data, queryset=cls._meta.model.objects.none()).form,
            )
        )
    return built


def _render(make, renderer, data):
    form = make(data=data)
    form.renderer = renderer
    return render_to_string("includes/form.html", {"form": form})


def test_the_portal_renders_forms_with_its_renderer():
    assert isinstance(get_default_renderer(), PortalFormRenderer)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_form_renders_as_djangos_templates_render_it(language):
    rendered = 0
    with translation.override(language):
        for name, make in _forms():
            for data in (None, {"q": "x", "status": "nonsense", "year": "abc"}):
                try:
                    expected = _render(make, DjangoTemplates(), data)
                except (TypeError, KeyError, AttributeError, ValueError):
                    break  # a form that needs arguments or a request
                assert _render(make, PortalFormRenderer(), data) == expected, name
                rendered += 1
    assert rendered >= 40, rendered


def test_drop_downs_groups_and_odd_values_render_as_the_templates_do():
    class Odd(forms.Form):
        kind = forms.ChoiceField(
            choices=[("", "—"), ("Group <1>", [("a", "A & B"), ("b", "<b>")]), (3, 2026)],
            required=False,
        )
        amount = forms.DecimalField(initial=12.5, widget=forms.NumberInput(attrs={"step": 0.5}))
        agree = forms.BooleanField(required=False, initial=True, help_text="<i>really</i>")
        notes = forms.CharField(widget=forms.Textarea, initial="a<b")
        day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "required": True}))
        choices = forms.MultipleChoiceField(
            choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple
        )

    for data in (None, {"kind": "b", "amount": "x", "day": "2026-13-01", "choices": ["y"]}):
        assert _render(lambda data: Odd(data), PortalFormRenderer(), data) == _render(
            lambda data: Odd(data), DjangoTemplates(), data
        )


def test_drop_downs_of_rows_are_written_out_in_python(monkeypatch):
    """A drop-down of model rows (categories, streets) renders as the
    templates render it, without going through them."""
    from organizations.models import Street
    from tests.factories.organizations import StreetFactory

    for i in range(3):
        StreetFactory(code=f"S<{i}>&", name=f"街道 <{i}> & 镇")

    class Rows(forms.Form):
        category = forms.ModelChoiceField(
            queryset=Street.objects.order_by("code"),
            to_field_name="code",
            required=False,
            empty_label="All",
        )
        by_id = forms.ModelChoiceField(queryset=Street.objects.order_by("pk"))

    chosen = Street.objects.order_by("code").last()
    real = DjangoTemplates.render
    for data in (None, {"category": chosen.code, "by_id": chosen.pk}, {"category": "nope"}):
        expected = _render(lambda data: Rows(data), DjangoTemplates(), data)
        templates = []
        monkeypatch.setattr(
            DjangoTemplates,
            "render",
            lambda self, name, *a, _seen=templates, **kw: (
                _seen.append(name) or real(self, name, *a, **kw)
            ),
        )
        assert _render(lambda data: Rows(data), PortalFormRenderer(), data) == expected
        monkeypatch.undo()
        assert "django/forms/widgets/select.html" not in templates, templates
    assert f'value="S&lt;{chosen.code[2]}&gt;&amp;" selected' in (
        _render(lambda data: Rows(data), PortalFormRenderer(), {"category": chosen.code})
    )
