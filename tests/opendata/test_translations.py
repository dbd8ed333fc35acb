"""The open-data app's own Chinese catalogue is complete."""

from collections import Counter
from pathlib import Path

from django.conf import settings

from tests.core.test_translations import PLACEHOLDER, parse_po

PO_FILE = Path(settings.BASE_DIR) / "opendata" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_open_data_string_has_a_chinese_translation_keeping_its_placeholders():
    entries = [e for e in parse_po(PO_FILE) if not e.obsolete]
    header = next(e for e in entries if e.msgid == "")
    assert "Language: zh_Hans" in header.msgstr[0]
    messages = [e for e in entries if e.msgid]
    assert len(messages) > 100
    assert [e.msgid for e in messages if "fuzzy" in e.flags] == []
    assert [e.msgid for e in messages if not all(e.msgstr.values())] == []
    for e in messages:
        source = e.msgid_plural if e.msgid_plural is not None else e.msgid
        for text in e.msgstr.values():
            assert Counter(PLACEHOLDER.findall(text)) == Counter(PLACEHOLDER.findall(source)), e
