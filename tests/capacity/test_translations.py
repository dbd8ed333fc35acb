"""The capacity catalogue is complete, keeps its placeholders and is compiled."""

import gettext
import re
from pathlib import Path

import capacity

LC_MESSAGES = Path(capacity.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0+-]?\d*(?:\.\d+)?[sdifr%]")


def _entries() -> dict[str, str]:
    text = (LC_MESSAGES / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = {}
    for block in text.split("\n\n")[1:]:
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        at = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        msgid = "".join(re.findall(r'"(.*)"', "\n".join(lines[:at])))
        entries[msgid] = "".join(re.findall(r'"(.*)"', "\n".join(lines[at:])))
    return entries


def _text(escaped: str) -> str:
    return escaped.encode().decode("unicode_escape").encode("latin-1").decode()


def test_every_message_is_translated_with_its_placeholders():
    entries = _entries()
    assert len(entries) > 300
    assert not [m for m, t in entries.items() if not t]
    assert not [
        m
        for m, t in entries.items()
        if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(t))
    ]


def test_the_compiled_catalogue_matches_the_po_file():
    with (LC_MESSAGES / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in _entries().items():
        assert compiled.gettext(_text(msgid)) == _text(msgstr), msgid
