"""Numbers, dates and statuses read the same on every page: money with thousands
separators and the unit of the reader's language, amounts in Chinese capitals,
one date format per language and one colour (tone) per status."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.template import Context, Template
from django.utils import translation

from purchase_portal.templatetags.ui import STATUS_TONES, money, money_capitals, tone_of


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load ui %}" + source).render(Context(context)).strip()


@pytest.mark.parametrize(
    ("language", "expected"),
    [("zh-hans", "1,234,567.80元"), ("en", "1,234,567.80 CNY")],
)
def test_money_has_separators_and_the_unit_of_the_language(language, expected):
    assert _render("{{ a|money }}", language, a=Decimal("1234567.8")) == expected


def test_money_without_its_unit_and_without_an_amount():
    assert money(Decimal("800000"), "bare") == "800,000.00"
    assert money("792000.00", "bare") == "792,000.00"  # frozen records keep strings
    assert money(None) == "—"
    assert money("") == "—"


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        (Decimal("12345.67"), "壹万贰仟叁佰肆拾伍元陆角柒分"),
        (Decimal("120000"), "壹拾贰万元整"),
        (Decimal("1000.05"), "壹仟元零伍分"),
        (Decimal("0.5"), "伍角"),
        (Decimal("-300"), "负叁佰元整"),
    ],
)
def test_amounts_in_chinese_capitals(amount, capitals):
    assert money_capitals(amount) == capitals
    assert money_capitals(None) == ""


def test_one_date_format_per_language():
    moment = dt.datetime(2026, 12, 2, 6, 30, tzinfo=dt.UTC)  # 14:30 in Shanghai
    source = '{{ d|date:"DATE_FORMAT" }} | {{ d|date:"DATETIME_FORMAT" }}'
    with translation.override("zh-hans"):
        from django.utils import timezone

        with timezone.override(ZoneInfo("Asia/Shanghai")):
            chinese = _render(source, "zh-hans", d=moment)
            english = _render(source, "en", d=moment)
    assert chinese == "2026年12月2日 | 2026年12月2日 14:30"
    assert english == "2 Dec 2026 | 2 Dec 2026 14:30"


def test_a_status_tag_has_one_tone_per_status_everywhere():
    html = _render('{% status_tag "overdue" "Overdue" %}', "en")
    assert html == '<span class="status status-overdue ui-tag ui-tag--danger">Overdue</span>'
    assert tone_of("paid") == tone_of("active") == "success"
    assert tone_of("awaiting_signatures") == "warning"
    assert tone_of("anything-else") == "neutral"
    listed = [s for statuses in STATUS_TONES.values() for s in statuses]
    assert len(listed) == len(set(listed)), "a status has two tones"


def test_every_status_of_every_model_has_a_tone():
    listed = {s for statuses in STATUS_TONES.values() for s in statuses}
    missing = {
        f"{model._meta.label}.{value}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if getattr(field, "name", "") == "status" and getattr(field, "choices", None)
        for value, _label in field.choices
        if value not in listed
    }
    assert not missing, missing


def test_status_tag_takes_a_model_and_shows_its_label():
    class Thing:
        status = "failed"

        def get_status_display(self):
            return "流标"

    assert _render("{% status_tag t %}", "zh-hans", t=Thing()) == (
        '<span class="status status-failed ui-tag ui-tag--danger">流标</span>'
    )


def test_a_model_status_tag_speaks_the_language_of_each_page():
    """Labels of model statuses are remembered per language, never across languages."""
    from contracts.models import ProgressReport

    report = ProgressReport(status=ProgressReport.Status.ACCEPTED)
    tag = '<span class="status status-accepted ui-tag ui-tag--success">{}</span>'
    for language, label in [("zh-hans", "已通过"), ("en", "Accepted"), ("zh-hans", "已通过")]:
        assert _render("{% status_tag r %}", language, r=report) == tag.format(label)


def test_a_status_label_is_escaped():
    assert _render('{% status_tag "draft" label %}', "en", label="<b>x</b>") == (
        '<span class="status status-draft ui-tag ui-tag--neutral">&lt;b&gt;x&lt;/b&gt;</span>'
    )


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_grouped_numbers_use_commas_in_both_languages(language):
    """Pages that format numbers themselves (the analytics tables) group by thousands too."""
    from django.utils.formats import number_format

    with translation.override(language):
        assert number_format(Decimal("1234567.5"), 2, force_grouping=True) == "1,234,567.50"
