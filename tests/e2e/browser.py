"""A person's browser for the journeys on the pages, on top of WebTest
(django-webtest).

WebTest reads the HTML a page returns and submits the forms that page
actually renders, as a browser without JavaScript would: the form's action and
method, its hidden inputs (the CSRF token among them), the options a select
offers, the boxes that are ticked, and the button that was pressed. A field the
page does not render cannot be filled in, and an option a select does not offer
cannot be chosen, so a journey that passes here is one a user can take. CSRF
checks are enforced.

This module only adds what the journeys ask of a page: finding a form by its
action or button text, choosing an option or a box by its visible label,
reading the page's messages and visible text, and following links.
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote, urljoin, urlsplit

from django.core.files.uploadedfile import UploadedFile
from django_webtest import DjangoTestApp
from webtest import Upload
from webtest.forms import Checkbox, File, Hidden, MultipleSelect, Radio, Select

PASSWORD = "correct-horse-battery"  # tests/factories/organizations.py UserFactory


class Form:
    """A form of a page, as WebTest parsed it."""

    def __init__(self, page: Page, form):
        self.page = page
        self.form = form
        self.action = form.action or ""
        self.method = (form.method or "get").lower()
        self.enctype = form.enctype or ""
        # A browser does not send disabled fields.
        form.field_order = [(n, f) for n, f in form.field_order if "disabled" not in f.attrs]

    def __repr__(self):
        names = list(self.form.fields)
        return f"<Form {self.method.upper()} {self.action!r} {names} {self.button_texts()}>"

    # Fields --------------------------------------------------------------------------

    def _fields(self, name: str) -> list:
        fields = self.form.fields.get(name)
        if not fields:
            raise AssertionError(f"{self!r} has no field {name!r}")
        if any("disabled" in field.attrs for field in fields):
            raise AssertionError(f"field {name!r} is disabled in {self!r}")
        return fields

    def _label(self, field) -> str:
        return self.page.labels.get(field.id or "", "")

    def fill(self, **values) -> Form:
        """Type into fields, choose options (by value or by visible text) or tick boxes."""
        for name, value in values.items():
            self.set(name, value)
        return self

    def set(self, name: str, value) -> Form:
        fields = self._fields(name)
        first = fields[0]
        if isinstance(first, Checkbox):
            self._tick(name, fields, value)
        elif isinstance(first, (Select, MultipleSelect)):
            wanted = value if isinstance(value, (list, tuple, set)) else [value]
            multiple = isinstance(first, MultipleSelect)
            if not multiple and len(wanted) != 1:
                raise AssertionError(f"{name!r} takes one value")
            picked = [self._option(name, first, str(w)) for w in wanted]
            first.value = picked if multiple else picked[0]
        elif isinstance(first, Hidden):
            raise AssertionError(f"{name!r} is hidden: a user cannot type into it")
        elif isinstance(first, File):
            first.value = _upload(value)
        else:
            first.value = "" if value is None else str(value)
        return self

    def _tick(self, name: str, boxes: list, value) -> None:
        if isinstance(value, bool):
            assert len(boxes) == 1, f"{name!r} is a group of boxes; say which"
            boxes[0].checked = value
            return
        wanted = [str(w) for w in (value if isinstance(value, (list, tuple, set)) else [value])]
        picked = set()
        for w in wanted:
            box = next((b for b in boxes if b._value == w), None) or next(
                (b for b in boxes if w in self._label(b)), None
            )
            if box is None:
                offered = [(b._value, self._label(b)) for b in boxes]
                raise AssertionError(f"{name!r} does not offer {w!r}; it offers {offered}")
            picked.add(id(box))
        for box in boxes:
            box.checked = id(box) in picked

    def _option(self, name: str, field, wanted: str) -> str:
        options = self._options(field)
        for value, _text in options:
            if value == wanted:
                return value
        for value, text in options:
            if wanted in text:
                return value
        raise AssertionError(f"{name!r} does not offer {wanted!r}; it offers {options}")

    def _options(self, field) -> list[tuple[str, str]]:
        if isinstance(field, Radio):
            radios = self.page.radio_labels.get(field.name, {})
            return [(value, radios.get(value, "")) for value, _selected, *_ in field.options]
        return [(value, " ".join((text or "").split())) for value, _selected, text in field.options]

    def options(self, name: str) -> list[tuple[str, str]]:
        fields = self.form.fields.get(name) or []
        if fields and isinstance(fields[0], Checkbox):
            return [(box._value, self._label(box)) for box in fields]
        return self._options(fields[0]) if fields else []

    # Buttons -------------------------------------------------------------------------

    def _buttons(self) -> list[tuple[str, str, str]]:
        """(name, value, visible text) of each submit button of the form."""
        found = []
        for tag in self.form.html.find_all(["button", "input"]):
            kind = (tag.get("type") or ("submit" if tag.name == "button" else "text")).lower()
            if kind != "submit":
                continue
            text = tag.get_text(" ", strip=True) if tag.name == "button" else tag.get("value", "")
            found.append((tag.get("name") or "", tag.get("value") or "", " ".join(text.split())))
        return found

    def button_texts(self) -> list[str]:
        return [text for _name, _value, text in self._buttons()]

    def button(self, text: str | None = None, name: str | None = None):
        buttons = self._buttons()
        if not buttons:
            return None
        if text is None and name is None:
            return buttons[0]
        for button in buttons:
            if (name is not None and button[0] == name) or (text is not None and text in button[2]):
                return button
        raise AssertionError(f"{self!r} has no button {text or name!r}")

    def submit(self, button: str | None = None, *, name: str | None = None, **kwargs) -> Page:
        pressed = self.button(button, name)
        return self.page.browser.send(self, pressed, **kwargs)


class Page:
    def __init__(self, browser: Browser, response):
        self.browser = browser
        self.response = response
        self.status = response.status_int
        self.url = response.request.url
        self.is_html = (response.content_type or "").startswith("text/html")
        self.html = response.text if self.is_html else ""
        self._forms: list[Form] | None = None
        self._soup = response.html if self.is_html else None
        self.labels = self._label_texts()
        self.radio_labels = self._radio_texts()

    def __repr__(self):
        return f"<Page {self.status} {self.url}>"

    def _label_texts(self) -> dict[str, str]:
        if self._soup is None:
            return {}
        return {
            label["for"]: " ".join(label.get_text(" ", strip=True).split())
            for label in self._soup.find_all("label")
            if label.get("for")
        }

    def _radio_texts(self) -> dict[str, dict[str, str]]:
        found: dict[str, dict[str, str]] = {}
        if self._soup is None:
            return found
        for radio in self._soup.find_all("input", attrs={"type": "radio"}):
            text = self.labels.get(radio.get("id") or "", "")
            found.setdefault(radio.get("name", ""), {})[radio.get("value", "")] = text
        return found

    @property
    def forms(self) -> list[Form]:
        if self._forms is None:
            forms = self.response.forms if self.is_html else {}
            self._forms = [
                Form(self, forms[i]) for i in sorted(k for k in forms if isinstance(k, int))
            ]
        return self._forms

    @property
    def text(self) -> str:
        """The visible text of <main>, whitespace collapsed."""
        main = re.search(r"<main[^>]*>(.*)</main>", self.html, re.S)
        body = main.group(1) if main else self.html
        body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())

    @property
    def messages(self) -> list[str]:
        found = re.findall(r'<p class="message ([^"]*)">(.*?)</p>', self.html, re.S)
        return [f"{tags}: {' '.join(unescape(text).split())}" for tags, text in found]

    def action_of(self, form: Form) -> str:
        return urljoin(self.url, form.action) if form.action else self.url

    def form(self, action: str | None = None, *, button: str | None = None, index: int = 0) -> Form:
        """The form posting to ``action`` (a path, compared without the query) and/or
        with a button showing ``button``."""
        matches = []
        for form in self.forms:
            if action is not None and urlsplit(self.action_of(form)).path != action:
                continue
            if button is not None and not any(button in text for text in form.button_texts()):
                continue
            matches.append(form)
        if len(matches) <= index:
            raise AssertionError(
                f"{self!r} has no form action={action!r} button={button!r}; "
                f"forms: {self.forms}; messages: {self.messages}"
            )
        return matches[index]

    def has_form(self, action: str | None = None, *, button: str | None = None) -> bool:
        try:
            self.form(action, button=button)
        except AssertionError:
            return False
        return True

    def _links(self) -> list[tuple[str, str]]:
        if self._soup is None:
            return []
        return [
            (a["href"], " ".join(a.get_text(" ", strip=True).split()))
            for a in self._soup.find_all("a")
            if a.get("href")
        ]

    def link(self, text: str | None = None, *, href: str | None = None) -> str:
        for link_href, link_text in self._links():
            if href is not None and urlsplit(urljoin(self.url, link_href)).path != href:
                continue
            if text is not None and text not in link_text:
                continue
            return urljoin(self.url, link_href)
        raise AssertionError(f"{self!r} has no link text={text!r} href={href!r}")

    def has_link(self, text: str | None = None, *, href: str | None = None) -> bool:
        try:
            self.link(text, href=href)
        except AssertionError:
            return False
        return True

    def follow(self, text: str | None = None, *, href: str | None = None, **kwargs) -> Page:
        return self.browser.get(self.link(text, href=href), **kwargs)


class Download:
    """A file the browser received: its status, headers and bytes."""

    def __init__(self, response):
        self.status_code = response.status_int
        self.headers = response.headers
        self.body = response.body

    def __getitem__(self, header: str) -> str:
        return self.headers[header]


def _upload(value):
    if isinstance(value, UploadedFile):
        value.seek(0)
        return Upload(value.name, value.read(), value.content_type)
    return value


def _path(url: str) -> str:
    """What a browser requests for ``url``: its path and query, percent-encoded
    (WebTest takes paths, and WSGI carries only ASCII)."""
    parts = urlsplit(url)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return path + (f"?{query}" if query else "")


class Browser:
    """One person's browser: their own cookies (session, CSRF token, language)."""

    def __init__(self, user=None, *, language: str = "en", remote_addr: str = "203.0.113.7"):
        self.app = DjangoTestApp(
            extra_environ={"HTTP_ACCEPT_LANGUAGE": language, "REMOTE_ADDR": remote_addr}
        )
        self.user = None
        if user is not None:
            self.sign_in(user)

    def sign_in(self, user, password: str = PASSWORD) -> Page:
        self.user = None
        page = self.get("/accounts/login/")
        page = (
            page.form("/accounts/login/").fill(username=user.username, password=password).submit()
        )
        assert page.status == 200 and "/accounts/login/" not in page.url, page.messages
        self.user = user
        return page

    def _page(self, response, *, follow: bool) -> Page:
        if follow:
            response = response.maybe_follow(expect_errors=True)
        return Page(self, response)

    def get(self, url: str, *, expect: int | None = 200, follow: bool = True) -> Page:
        page = self._page(self.app.get(_path(url), expect_errors=True), follow=follow)
        if self.user is not None and urlsplit(page.url).path == "/accounts/login/":
            # The session has expired (weeks pass in these journeys): sign in again;
            # the sign-in page sends the person back where they were going.
            login = page.form("/accounts/login/")
            login.fill(username=self.user.username, password=PASSWORD)
            page = login.submit()
        if expect is not None:
            assert page.status == expect, f"GET {url}: {page.status}, expected {expect}"
        return page

    def post(self, url: str, data=None, *, expect: int | None = 200, follow: bool = True) -> Page:
        """A POST that a page's form would send (the CSRF token taken from the cookie)."""
        payload = dict(data or {})
        token = self.app.cookies.get("csrftoken")
        if token is not None:
            payload.setdefault("csrfmiddlewaretoken", token)
        response = self.app.post(_path(url), payload, expect_errors=True)
        page = self._page(response, follow=follow)
        if expect is not None:
            assert page.status == expect, f"POST {url}: {page.status}, expected {expect}"
        return page

    def send(self, form: Form, button, *, expect: int | None = 200) -> Page:
        url = form.page.action_of(form)
        if any(isinstance(f, File) and f.value for _name, f in form.form.field_order):
            # Without this encoding a browser sends the file's name, not the file.
            assert form.enctype == "multipart/form-data", f"{form!r} cannot upload files"
            assert form.method == "post", f"{form!r} cannot upload files"
        name, value = (button[0], button[1]) if button and button[0] else (None, None)
        response = form.form.submit(name, value=value, expect_errors=True)
        page = self._page(response, follow=True)
        if expect is not None:
            assert page.status == expect, (
                f"{form.method.upper()} {url}: {page.status}, expected {expect}"
            )
        return page

    def download(self, url: str, *, expect: int = 200) -> Download:
        response = self.app.get(_path(url), expect_errors=True)
        assert response.status_int == expect, f"GET {url}: {response.status_int}"
        return Download(response)
