"""``makemessages`` for this project.

Two differences from Django's command:

* Services import ``gettext`` as ``_t`` (``_`` is ``gettext_lazy`` in the same module), so
  ``_t`` is an extraction keyword too; without it their messages never reach the .po file.
* xgettext flags a message as ``python-format`` when it merely contains a per cent sign
  followed by a space and a letter ("more than 30% of its maximum" reads as a ``% o``
  directive). msgfmt then rejects every translation that lacks that directive. A message
  whose only "directives" are of this kind is marked ``no-python-format`` before it is merged.
"""

import ast
import re
from pathlib import Path

from django.core.management.commands import makemessages

# A directive as GNU gettext reads python-format: %(name)s, %s, %5.2f, % o, %%.
DIRECTIVE = re.compile(r"%(\([^)]*\))?([ #0+-]*)(\*|\d+)?(\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def _is_accidental_format(text: str) -> bool:
    """True when ``text`` has directives, and each one is a per cent sign before a space."""
    found = [m for m in DIRECTIVE.finditer(text) if m.group(6) != "%"]
    return bool(found) and all(m.group(1) is None and " " in m.group(2) for m in found)


def _unquote(line: str) -> str:
    return ast.literal_eval(line[line.index('"') :])


def fix_accidental_python_format(pot: str) -> str:
    """Replace ``python-format`` by ``no-python-format`` on messages that are no format."""
    blocks = pot.split("\n\n")
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        flag_lines = [i for i, line in enumerate(lines) if line.startswith("#,")]
        if not flag_lines or "python-format" not in lines[flag_lines[0]]:
            continue
        text, inside = [], False
        for line in lines:
            if line.startswith(("msgid ", "msgid_plural ")):
                inside = True
            elif line.startswith("msgstr"):
                inside = False
            if inside and '"' in line:
                text.append(_unquote(line))
        if _is_accidental_format("".join(text)):
            i = flag_lines[0]
            lines[i] = re.sub(r"(?<![-\w])python-format", "no-python-format", lines[i])
            blocks[index] = "\n".join(lines)
    return "\n\n".join(blocks)


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]

    def write_po_file(self, potfile, locale):
        path = Path(potfile)
        content = path.read_text(encoding="utf-8")
        fixed = fix_accidental_python_format(content)
        if fixed != content:
            path.write_text(fixed, encoding="utf-8")
        super().write_po_file(potfile, locale)
