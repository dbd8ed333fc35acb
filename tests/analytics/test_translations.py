"""The analytics catalogue is complete and compiled, and the pages are Chinese by default."""

import gettext
import re
from pathlib import Path

import pytest

import analytics

LC_MESSAGES = Path(analytics.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0+-]?\d*(?:\.\d+)?[sdifr%]")


def _po_entries() -> dict[str, str]:
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = {}
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        msgstr_at = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        msgid = "".join(re.findall(r'"(.*)"', "\n".join(lines[:msgstr_at])))
        entries[msgid] = "".join(re.findall(r'"(.*)"', "\n".join(lines[msgstr_at:])))
    return entries


def test_every_message_is_translated_with_its_placeholders():
    entries = _po_entries()
    assert len(entries) > 200
    missing = [m for m, t in entries.items() if not t]
    assert not missing
    wrong = [
        m
        for m, t in entries.items()
        if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(t))
    ]
    assert not wrong


def test_the_compiled_catalogue_matches_the_po_file():
    with (LC_MESSAGES / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in _po_entries().items():
        assert compiled.gettext(
            msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        ) == (msgstr.encode().decode("unicode_escape").encode("latin-1").decode()), msgid


@pytest.mark.chinese_default
@pytest.mark.django_db
def test_public_statistics_are_in_chinese_by_default(client):
    page = client.get("/analytics/public/")
    html = page.content.decode()
    assert "<h1>公开统计</h1>" in html
    assert "按服务类别" in html and "涉及不足3家组织的数据不予公开" in html


@pytest.mark.django_db
def test_public_statistics_are_in_english_when_asked(client):
    page = client.get("/analytics/public/")
    assert "<h1>Public statistics</h1>" in page.content.decode()
