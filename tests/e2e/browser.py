"""A small browser on top of Django's test client, for journeys on the pages.

It reads the HTML a page returns and fills in and submits the forms that page
actually renders, as a browser without JavaScript would: the form's action and
method, its hidden inputs (the CSRF token among them), the options a select
offers, the boxes that are ticked, and the name of the button that was
pressed. A field the page does not render cannot be filled in, and an option a
select does not offer cannot be chosen, so a journey that passes here is one a
user can take. CSRF checks are enforced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client

PASSWORD = "correct-horse-battery"  # tests/factories.py UserFactory


@dataclass
class Choice:
    value: str
    label: str
    selected: bool


@dataclass
class Control:
    """One named thing a form submits: an input, a select, a textarea or a group of boxes."""

    name: str
    kind: str  # text (any single-valued input), hidden, select, checkbox, radio, file, textarea
    value: str = ""
    multiple: bool = False
    disabled: bool = False
    choices: list[Choice] = field(default_factory=list)
    id: str = ""


@dataclass
class Button:
    name: str
    value: str
    text: str


@dataclass
class Link:
    href: str
    text: str


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self.labels: dict[str, str] = {}
        self._form: Form | None = None
        self._select: Control | None = None
        self._option: dict | None = None
        self._textarea: Control | None = None
        self._button: dict | None = None
        self._link: dict | None = None
        self._label: dict | None = None
        self._text: list[str] = []

    # Text capture for options, textareas, buttons, links and labels.
    def handle_data(self, data):
        for holder in (self._option, self._button, self._link, self._label):
            if holder is not None:
                holder["text"] += data
        if self._textarea is not None:
            self._textarea.value += data

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
        elif tag == "a" and "href" in a:
            self._link = {"href": a["href"], "text": ""}
        elif tag == "label":
            self._label = {"for": a.get("for", ""), "text": ""}
        if self._form is None:
            return
        disabled = "disabled" in a
        if tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name", "")
            if kind in ("submit", "image"):
                self._form.buttons.append(Button(name, a.get("value", ""), a.get("value", "")))
                return
            if kind == "reset" or not name:
                return
            if kind in ("checkbox", "radio"):
                control = self._form.control(name)
                if control is None:
                    control = Control(name=name, kind=kind, multiple=kind == "checkbox")
                    self._form.controls.append(control)
                control.choices.append(
                    Choice(a.get("value", "on"), a.get("id", ""), "checked" in a)
                )
                control.disabled = control.disabled or disabled
                return
            self._form.controls.append(
                Control(
                    name=name,
                    kind="hidden" if kind == "hidden" else ("file" if kind == "file" else "text"),
                    value=a.get("value", ""),
                    disabled=disabled,
                    id=a.get("id", ""),
                )
            )
        elif tag == "select" and a.get("name"):
            self._select = Control(
                name=a["name"],
                kind="select",
                multiple="multiple" in a,
                disabled=disabled,
                id=a.get("id", ""),
            )
            self._form.controls.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
        elif tag == "textarea" and a.get("name"):
            self._textarea = Control(
                name=a["name"], kind="textarea", disabled=disabled, id=a.get("id", "")
            )
            self._form.controls.append(self._textarea)
        elif tag == "button":
            kind = a.get("type", "submit").lower()
            self._button = {
                "name": a.get("name", ""),
                "value": a.get("value", ""),
                "submit": kind == "submit",
                "text": "",
            }

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select is not None:
            text = " ".join(self._option["text"].split())
            value = self._option["value"] if self._option["value"] is not None else text
            self._select.choices.append(Choice(value, text, self._option["selected"]))
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline that follows <textarea>; browsers drop it.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "button" and self._button is not None:
            if self._button["submit"] and self._form is not None:
                self._form.buttons.append(
                    Button(
                        self._button["name"],
                        self._button["value"],
                        " ".join(self._button["text"].split()),
                    )
                )
            self._button = None
        elif tag == "a" and self._link is not None:
            self.links.append(Link(self._link["href"], " ".join(self._link["text"].split())))
            self._link = None
        elif tag == "label" and self._label is not None:
            if self._label["for"]:
                self.labels[self._label["for"]] = " ".join(self._label["text"].split())
            self._label = None
        elif tag == "form":
            self._form = None


class Form:
    def __init__(self, *, action: str, method: str, enctype: str):
        self.action = action
        self.method = method
        self.enctype = enctype
        self.controls: list[Control] = []
        self.buttons: list[Button] = []
        self.page: Page | None = None

    def __repr__(self):
        names = [c.name for c in self.controls]
        buttons = [b.text for b in self.buttons]
        return f"<Form {self.method.upper()} {self.action!r} {names} {buttons}>"

    def control(self, name: str) -> Control | None:
        return next((c for c in self.controls if c.name == name), None)

    def _get(self, name: str) -> Control:
        control = self.control(name)
        if control is None:
            raise AssertionError(f"{self!r} has no field {name!r}")
        if control.disabled:
            raise AssertionError(f"field {name!r} is disabled in {self!r}")
        return control

    def fill(self, **values) -> Form:
        """Type into fields, choose options (by value or by visible text) or tick boxes."""
        for name, value in values.items():
            self.set(name, value)
        return self

    def set(self, name: str, value) -> Form:
        control = self._get(name)
        if control.kind == "checkbox" and isinstance(value, bool):
            assert len(control.choices) == 1, f"{name!r} is a group of boxes; say which"
            control.choices[0].selected = value
        elif control.kind in ("select", "checkbox", "radio"):
            wanted = value if isinstance(value, (list, tuple, set)) else [value]
            if not control.multiple and len(wanted) != 1:
                raise AssertionError(f"{name!r} takes one value")
            picked = [self._choice(control, str(w)) for w in wanted]
            for choice in control.choices:
                choice.selected = any(choice is p for p in picked)
        elif control.kind == "hidden":
            raise AssertionError(f"{name!r} is hidden: a user cannot type into it")
        elif control.kind == "file":
            control.value = value
        else:
            control.value = "" if value is None else str(value)
        return self

    def _choice(self, control: Control, wanted: str) -> Choice:
        for choice in control.choices:
            if choice.value == wanted:
                return choice
        labels = self.page.labels if self.page is not None else {}
        for choice in control.choices:
            text = choice.label if control.kind == "select" else labels.get(choice.label, "")
            if wanted in text:
                return choice
        offered = [
            (c.value, c.label if control.kind == "select" else labels.get(c.label, ""))
            for c in control.choices
        ]
        raise AssertionError(f"{control.name!r} does not offer {wanted!r}; it offers {offered}")

    def options(self, name: str) -> list[tuple[str, str]]:
        control = self.control(name)
        labels = self.page.labels if self.page is not None else {}
        return [
            (c.value, c.label if control.kind == "select" else labels.get(c.label, ""))
            for c in control.choices
        ]

    def data(self, button: Button | None = None) -> dict:
        payload: dict[str, list] = {}
        for control in self.controls:
            if control.disabled:
                continue
            if control.kind in ("checkbox", "radio"):
                values = [c.value for c in control.choices if c.selected]
            elif control.kind == "select":
                values = [c.value for c in control.choices if c.selected]
                if not values and not control.multiple and control.choices:
                    values = [control.choices[0].value]
            elif control.kind == "file":
                if not control.value:
                    continue
                values = [control.value]
            else:
                values = [control.value]
            if values:
                payload.setdefault(control.name, []).extend(values)
        if button is not None and button.name:
            payload.setdefault(button.name, []).append(button.value)
        return payload

    def button(self, text: str | None = None, name: str | None = None) -> Button | None:
        if not self.buttons:
            return None
        if text is None and name is None:
            return self.buttons[0]
        for b in self.buttons:
            if (name is not None and b.name == name) or (text is not None and text in b.text):
                return b
        raise AssertionError(f"{self!r} has no button {text or name!r}")

    def submit(self, button: str | None = None, *, name: str | None = None, **kwargs) -> Page:
        assert self.page is not None
        pressed = self.button(button, name)
        return self.page.browser.send(self, pressed, **kwargs)


class Page:
    def __init__(self, browser: Browser, response, url: str):
        self.browser = browser
        self.response = response
        self.status = response.status_code
        self.url = url
        content_type = response.get("Content-Type", "")
        self.is_html = content_type.startswith("text/html")
        self.html = response.content.decode() if self.is_html else ""
        parser = _Parser()
        if self.is_html:
            parser.feed(self.html)
        self.forms = parser.forms
        self.links = parser.links
        self.labels = parser.labels
        for form in self.forms:
            form.page = self

    def __repr__(self):
        return f"<Page {self.status} {self.url}>"

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
            if button is not None and not any(button in b.text for b in form.buttons):
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

    def link(self, text: str | None = None, *, href: str | None = None) -> str:
        for link in self.links:
            if href is not None and urlsplit(urljoin(self.url, link.href)).path != href:
                continue
            if text is not None and text not in link.text:
                continue
            return urljoin(self.url, link.href)
        raise AssertionError(f"{self!r} has no link text={text!r} href={href!r}")

    def has_link(self, text: str | None = None, *, href: str | None = None) -> bool:
        try:
            self.link(text, href=href)
        except AssertionError:
            return False
        return True

    def follow(self, text: str | None = None, *, href: str | None = None, **kwargs) -> Page:
        return self.browser.get(self.link(text, href=href), **kwargs)


class Browser:
    """One person's browser: their own cookies (session, CSRF token, language)."""

    def __init__(self, user=None, *, language: str = "en", remote_addr: str = "203.0.113.7"):
        self.client = Client(
            enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=remote_addr
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

    def get(self, url: str, *, expect: int | None = 200, follow: bool = True) -> Page:
        response = self.client.get(url, follow=follow)
        page = Page(self, response, self._final_url(response, url))
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
        token = self.client.cookies.get("csrftoken")
        payload = dict(data or {})
        if token is not None:
            payload.setdefault("csrfmiddlewaretoken", token.value)
        response = self.client.post(url, payload, follow=follow)
        page = Page(self, response, self._final_url(response, url))
        if expect is not None:
            assert page.status == expect, f"POST {url}: {page.status}, expected {expect}"
        return page

    def send(self, form: Form, button: Button | None, *, expect: int | None = 200) -> Page:
        url = form.page.action_of(form)
        if any(c.kind == "file" and c.value for c in form.controls):
            # Without this encoding a browser sends the file's name, not the file.
            assert form.enctype == "multipart/form-data", f"{form!r} cannot upload files"
            assert form.method == "post", f"{form!r} cannot upload files"
        payload = form.data(button)
        if form.method == "get":
            response = self.client.get(url, payload, follow=True)
        else:
            response = self.client.post(url, payload, follow=True)
        page = Page(self, response, self._final_url(response, url))
        if expect is not None:
            assert page.status == expect, (
                f"{form.method.upper()} {url}: {page.status}, expected {expect}"
            )
        return page

    @staticmethod
    def _final_url(response, url: str) -> str:
        chain = getattr(response, "redirect_chain", None) or []
        return urljoin(url, chain[-1][0]) if chain else url

    def download(self, url: str, *, expect: int = 200):
        response = self.client.get(url)
        assert response.status_code == expect, f"GET {url}: {response.status_code}"
        if response.status_code == 200 and getattr(response, "streaming", False):
            response.body = b"".join(response.streaming_content)
        elif response.status_code == 200:
            response.body = response.content
        return response
