"""The Simplified Chinese catalogue is complete, consistent with its compiled form, and
used: pages render in Chinese by default and in English when the visitor chooses it."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from organizations.models import Organization
from purchase_portal.management.commands.makemessages import fix_accidental_python_format

BASE = Path(settings.BASE_DIR)
# The project's catalogue (templates, and apps without their own) and each app's own.
CATALOGUES = [
    BASE / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po",
    *sorted(BASE.glob("*/locale/zh_Hans/LC_MESSAGES/django.po")),
]

# Python %-placeholders as the code fills them: %(name)s, %(n)d, %s, %d, and the escape %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0+-]?\d*(?:\.\d+)?[sdifr%]")
HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


@dataclass
class Entry:
    line: int
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"


def parse_po(path: Path) -> list[Entry]:
    """A small PO reader: entries with their flags, context, plural forms and strings."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None

    def finish():
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if current is not None and current.msgstr and line.startswith("#"):
            finish()  # an entry that follows without a blank line
        if current is None:
            current = Entry(line=number)
        if line.startswith("#~") and not line.startswith("#~|"):
            current.obsolete = True
            line = line[2:].strip()
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if target is None:
                raise AssertionError(f"{path}:{number}: a string outside an entry")
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword in {"msgctxt", "msgid", "msgid_plural"}:
                if keyword in {"msgctxt", "msgid"} and current.msgstr:
                    finish()
                    current = Entry(line=number)
                setattr(current, keyword, ast.literal_eval(rest))
                target = (keyword, 0)
            elif keyword == "msgstr" or keyword.startswith("msgstr["):
                index = int(keyword[7:-1]) if keyword != "msgstr" else 0
                current.msgstr[index] = ast.literal_eval(rest)
                target = ("msgstr", index)
            else:
                raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    finish()
    return entries


@pytest.fixture(scope="module", params=CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def po_file(request) -> Path:
    assert request.param.exists(), f"{request.param} is missing: run makemessages -l zh_Hans"
    return request.param


@pytest.fixture(scope="module")
def po_entries(po_file) -> list[Entry]:
    return [e for e in parse_po(po_file) if not e.obsolete]


@pytest.fixture(scope="module")
def messages(po_entries) -> list[Entry]:
    return [e for e in po_entries if e.msgid]


def _header(po_entries) -> dict[str, str]:
    header = next(e for e in po_entries if e.msgid == "" and e.msgctxt is None)
    fields = {}
    for line in header.msgstr[0].splitlines():
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


# (a) The catalogue is complete.


def test_the_catalogue_is_for_simplified_chinese_with_one_plural_form(po_entries):
    header = _header(po_entries)
    assert header["Language"] == "zh_Hans"
    assert header["Content-Type"] == "text/plain; charset=UTF-8"
    assert header["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_every_app_with_translatable_text_has_a_catalogue():
    apps = {p.parts[-5] for p in CATALOGUES[1:]}
    assert {"bidding", "evaluation", "capacity", "analytics", "opendata"} <= apps
    total = sum(len([e for e in parse_po(p) if e.msgid and not e.obsolete]) for p in CATALOGUES)
    assert total > 3000


def test_no_entry_is_untranslated(messages):
    assert messages
    untranslated = [f"line {e.line}: {e.msgid!r}" for e in messages if not all(e.msgstr.values())]
    assert not untranslated, "\n".join(untranslated)


def test_no_entry_is_fuzzy(po_entries):
    fuzzy = [f"line {e.line}: {e.msgid!r}" for e in po_entries if "fuzzy" in e.flags]
    assert not fuzzy, "\n".join(fuzzy)


def test_plural_entries_have_exactly_the_one_chinese_form(po_file, messages):
    plurals = [e for e in messages if e.msgid_plural is not None]
    assert plurals or po_file != CATALOGUES[0]
    wrong = [f"line {e.line}: {sorted(e.msgstr)}" for e in plurals if sorted(e.msgstr) != [0]]
    assert not wrong, "\n".join(wrong)


def test_translations_keep_the_placeholders_of_their_source(messages):
    wrong = []
    for e in messages:
        if "no-python-format" in e.flags:
            continue
        # Chinese has one form: it must carry the placeholders of the plural source,
        # which has every placeholder the singular has.
        source = e.msgid_plural if e.msgid_plural is not None else e.msgid
        expected = _placeholders(source)
        if e.msgid_plural is not None:
            expected |= _placeholders(e.msgid)
        for index, text in e.msgstr.items():
            if _placeholders(text) != expected:
                wrong.append(f"line {e.line} [{index}]: {dict(expected)} != {text!r}")
    assert not wrong, "\n".join(wrong)


def test_translations_keep_the_html_tags_of_their_source(messages):
    wrong = [
        f"line {e.line}: {e.msgstr[0]!r}"
        for e in messages
        if Counter(HTML_TAG.findall(e.msgstr[0])) != Counter(HTML_TAG.findall(e.msgid))
    ]
    assert not wrong, "\n".join(wrong)


def test_strings_with_chinese_glosses_become_plain_chinese(po_file, messages):
    glossed = [e for e in messages if re.search(r"\([^()]*[\u4e00-\u9fff][^()]*\)", e.msgid)]
    assert glossed or po_file != CATALOGUES[0]
    wrong = [
        f"line {e.line}: {e.msgstr[0]!r}"
        for e in glossed
        if re.search("[A-Za-z]{3,}", PLACEHOLDER.sub("", e.msgstr[0]))
    ]
    assert not wrong, "\n".join(wrong)


def test_the_parser_reads_plurals_contexts_flags_and_continued_lines(tmp_path):
    po = tmp_path / "sample.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\n'
        '#, fuzzy, python-format\nmsgctxt "menu"\nmsgid "Open %(n)s"\nmsgstr "打开 %(n)s"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] ""\n"%(n)s 天"\n\n'
        '#~ msgid "Gone"\n#~ msgstr "已删除"\n'
        '#: b.py:1\nmsgid "Next"\nmsgstr "下一个"\n',
        encoding="utf-8",
    )
    header, menu, day, gone, following = parse_po(po)
    assert header.msgstr[0] == "Language: zh_Hans\n"
    assert (menu.msgctxt, menu.key, menu.flags) == (
        "menu",
        "menu\x04Open %(n)s",
        {"fuzzy", "python-format"},
    )
    assert (day.msgid_plural, day.msgstr) == ("%(n)s days", {0: "%(n)s 天"})
    assert gone.obsolete and (gone.msgid, gone.msgstr) == ("Gone", {0: "已删除"})
    assert (following.msgid, following.obsolete) == ("Next", False)


# Extraction: services' ``_t`` messages, and "30% of" that is no format string.


def test_a_per_cent_sign_before_a_word_is_not_taken_for_a_format():
    pot = (
        '#: a.py:1\n#, python-format\nmsgid "more than 30% of its maximum"\nmsgstr ""\n\n'
        '#: a.py:2\n#, python-format\nmsgid ""\n"%(n)d bids, 30% of "\n"them"\nmsgstr ""\n\n'
        '#: a.py:3\n#, python-format\nmsgid "Share %s"\nmsgstr ""\n'
    )
    first, second, third = fix_accidental_python_format(pot).split("\n\n")
    assert "#, no-python-format\n" in first
    assert "#, python-format\n" in second and "#, python-format\n" in third


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_extracts_the_services_gettext_alias(tmp_path, monkeypatch, settings):
    (tmp_path / "locale").mkdir()
    (tmp_path / "services.py").write_text(
        "from django.utils.translation import gettext as _t\n"
        "from django.utils.translation import gettext_lazy as _\n"
        'RULE = _("Flagged when the points differ by more than 30% of the maximum.")\n'
        "def check(n):\n"
        '    return _t("Give at most %(n)d lines.") % {"n": n}\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["zh_Hans"], verbosity=0)
    entries = {
        e.msgid: e
        for e in parse_po(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
        if e.msgid
    }
    assert entries["Give at most %(n)d lines."].flags == {"python-format"}
    rule = entries["Flagged when the points differ by more than 30% of the maximum."]
    assert rule.flags == {"no-python-format"}


# (b) The compiled catalogue matches the .po file.


def _compiled(po_file: Path) -> gettext.GNUTranslations:
    mo_file = po_file.with_suffix(".mo")
    assert mo_file.exists(), f"{mo_file} is missing: run compilemessages -l zh_Hans"
    with mo_file.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def test_the_compiled_catalogue_has_the_same_messages_as_the_po_file(po_file, messages):
    compiled = _compiled(po_file)
    in_mo = {key[0] if isinstance(key, tuple) else key for key in compiled._catalog} - {""}
    in_po = {e.key for e in messages}
    assert not in_po - in_mo, f"not compiled (run compilemessages): {sorted(in_po - in_mo)[:20]}"
    assert not in_mo - in_po, f"compiled but gone from the .po: {sorted(in_mo - in_po)[:20]}"


def test_the_compiled_catalogue_has_the_current_translations(po_file, messages):
    compiled = _compiled(po_file)
    stale = []
    for e in messages:
        if e.msgid_plural is None:
            got = compiled._catalog.get(e.key)
        else:
            got = compiled._catalog.get((e.key, 0))
        if got != e.msgstr[0]:
            stale.append(f"line {e.line}: {e.msgid!r}: compiled {got!r}, .po {e.msgstr[0]!r}")
    assert not stale, "run compilemessages:\n" + "\n".join(stale[:20])


# (c) The translations are used.


def _h1(response) -> str:
    assert response.status_code == 200
    match = re.search(r"<h1[^>]*>(.*?)</h1>", response.content.decode(), re.S)
    assert match, "the page has no <h1>"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


PAGES = [
    # (path, signed in as an officer, Chinese heading, English heading)
    ("/", False, "残疾人服务购买平台", "Disability Services Purchase Portal"),
    ("/accounts/login/", False, "登录", "Sign in"),
    ("/dashboard/", True, "工作台", "Dashboard"),
    ("/organizations/", True, "机构", "Organizations"),
]


@pytest.mark.chinese_default
@pytest.mark.django_db
@pytest.mark.parametrize(("path", "signed_in", "chinese", "english"), PAGES)
def test_pages_are_in_chinese_by_default(client, officer, path, signed_in, chinese, english):
    if signed_in:
        client.force_login(officer)
    response = client.get(path)
    assert _h1(response) == chinese
    html = response.content.decode()
    assert '<html lang="zh-Hans">' in html
    assert ("退出登录" if signed_in else "机构登记") in html  # the navigation, too


@pytest.mark.chinese_default
@pytest.mark.django_db
@pytest.mark.parametrize(("path", "signed_in", "chinese", "english"), PAGES)
def test_pages_are_in_english_with_the_language_cookie(
    client, officer, path, signed_in, chinese, english
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if signed_in:
        client.force_login(officer)
    response = client.get(path)
    assert _h1(response) == english
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ("Sign out" if signed_in else "Register an organization") in html


@pytest.mark.chinese_default
def test_model_labels_and_choices_follow_the_active_language():
    with translation.override("zh-hans"):
        assert str(Organization._meta.verbose_name_plural) == "机构"
        assert str(Organization.Status.VERIFIED.label) == "已审核"
    with translation.override("en"):
        assert str(Organization._meta.verbose_name_plural) == "organizations"
        assert str(Organization.Status.VERIFIED.label) == "Verified"
