"""What the project services share: parsing lists of codes (disability
categories, grades)."""

from __future__ import annotations

from django.utils.translation import gettext as _t


def parse_codes(value, choices: type, label: str) -> tuple[list[str], str | None]:
    if not isinstance(value, (list, tuple)):
        return [], _t("Give a list of codes.")
    codes = [str(v) for v in value]
    unknown = sorted(set(codes) - set(choices.values))
    if unknown:
        return [], _t("Unknown %(label)s code(s): %(codes)s.") % {
            "label": label,
            "codes": ", ".join(unknown),
        }
    if len(set(codes)) != len(codes):
        return [], _t("Each code may appear only once.")
    return sorted(codes, key=int), None
