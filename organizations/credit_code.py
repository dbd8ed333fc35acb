"""统一社会信用代码 (unified social credit code) checks per GB 32100-2015."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

#: The 31 characters of the code alphabet, in value order (no I, O, Z, S, V).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: Registering authority (登记管理部门) → the institution type codes it issues.
AUTHORITY_TYPES: dict[str, str] = {
    "1": "1239",  # 机构编制
    "2": "19",  # 外交
    "3": "123459",  # 司法行政
    "4": "19",  # 文化
    "5": "1239",  # 民政: 社会团体 1, 民办非企业单位 2, 基金会 3, 其他 9
    "6": "129",  # 旅游
    "7": "129",  # 宗教
    "8": "19",  # 工会
    "9": "123",  # 工商: 企业 1, 个体工商户 2, 农民专业合作社 3
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业
    "Y": "1",  # 其他
}

_SHAPE = re.compile(rf"^[{ALPHABET}]{{18}}$")


@dataclass
class CreditCodeCheck:
    code: str
    errors: list[str] = field(default_factory=list)
    checksum_ok: bool = False
    expected_check_char: str = ""

    @property
    def well_formed(self) -> bool:
        return not self.errors


def normalize(code: str) -> str:
    return (code or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    value = 31 - total % 31
    return ALPHABET[0 if value == 31 else value]


def check(code: str) -> CreditCodeCheck:
    """Check the form (errors) and the check character (a warning only)."""
    code = normalize(code)
    result = CreditCodeCheck(code=code)
    if len(code) != 18:
        result.errors.append(str(_("The credit code must have exactly 18 characters.")))
        return result
    if not _SHAPE.match(code):
        result.errors.append(
            str(
                _(
                    "The credit code may contain only digits and capital letters other than I, O, Z, S and V."
                )
            )
        )
        return result
    authority, kind = code[0], code[1]
    if authority not in AUTHORITY_TYPES:
        result.errors.append(
            str(_("“%(c)s” is not a registering authority code.") % {"c": authority})
        )
    elif kind not in AUTHORITY_TYPES[authority]:
        result.errors.append(
            str(
                _("“%(k)s” is not an institution type issued by authority “%(a)s”.")
                % {"k": kind, "a": authority}
            )
        )
    if not code[2:8].isdigit():
        result.errors.append(
            str(_("Characters 3 to 8 must be an administrative division code (digits)."))
        )
    result.expected_check_char = check_character(code[:17])
    result.checksum_ok = result.expected_check_char == code[17]
    return result


#: Positions 1–2 of the code of an organization registered with civil affairs (民政):
#: 51 社会团体, 52 民办非企业单位/社会服务机构, 53 基金会 (GB 32100-2015).
LEGAL_FORM_PREFIXES: dict[str, str] = {
    "social_group": "51",
    "social_service": "52",
    "foundation": "53",
}


def legal_form_warning(code: str, legal_form: str) -> str:
    """A warning (never a refusal) when the legal form does not match positions 1–2 of
    the credit code (GB 32100-2015: 51 social group, 52 social service agency, 53
    foundation); "" when they agree or the code says nothing about the form."""
    code = normalize(code)
    if len(code) < 2:
        return ""
    prefix = code[:2]
    expected = LEGAL_FORM_PREFIXES.get(legal_form)
    if expected is not None and prefix != expected:
        return str(
            _(
                "Positions 1–2 of the credit code are “%(prefix)s”, but this legal form is "
                "registered with civil affairs as “%(expected)s” (51 social group, 52 social "
                "service agency, 53 foundation). Check the type against the certificate."
            )
            % {"prefix": prefix, "expected": expected}
        )
    if expected is None and prefix in LEGAL_FORM_PREFIXES.values():
        return str(
            _(
                "Positions 1–2 of the credit code (“%(prefix)s”) mark a social organization "
                "registered with civil affairs (51 social group, 52 social service agency, 53 "
                "foundation); choose that type. Check it against the certificate."
            )
            % {"prefix": prefix}
        )
    return ""


def make_code(prefix17: str) -> str:
    """Complete 17 characters with their check character (used by demo data and tests)."""
    return prefix17 + check_character(prefix17)
