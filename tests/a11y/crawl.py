"""The pages each demo role reaches: starting from the dashboard (or the home page
for the public), follow the links of every page the role can open, keeping one
page of each kind (paths that differ only in their ids or query are one kind).
Downloads, sign-out and the API are left out; so are forms' actions (links only)."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

#: Who the crawl signs in as: one of each demo role ("" is the public; the demo's
#: second finance user, cashier, holds the same role as finance).
DEMO_ROLES = (
    "",
    "officer",
    "approver",
    "finance",
    "auditor",
    "expert1",
    "evaluator",
    "org1admin",
    "applicant",
    "mentor",
)

SKIP = re.compile(
    r"^/(api|admin|static|media|i18n|jsi18n|metrics)/"
    r"|/(download|logout|revoke|pdf|export)(/|$)"
    r"|\.(pdf|xlsx|csv|zip|json|xml|svg|png|jpg|ico|txt)(\?|$)"
    r"|/accounts/(logout|login|password_reset|two-factor/setup)"
)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.links.append(urldefrag(href)[0])


def kind_of(url: str) -> str:
    """One page of each kind: ids and query values do not make a new kind."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/N", parts.path)
    path = re.sub(r"/[A-Z0-9][A-Za-z0-9-]*-\d[\w-]*(?=/|$)", "/CODE", path)
    query = (
        "?" + ",".join(sorted(p.split("=")[0] for p in parts.query.split("&")))
        if parts.query
        else ""
    )
    return path + query


def reachable_pages(client, *, start: str, limit: int = 120) -> list[str]:
    """Pages (one of each kind) that answer 200 with HTML, breadth first from ``start``."""
    seen_kinds: set[str] = set()
    pages: list[str] = []
    queue = deque([start])
    while queue and len(pages) < limit:
        url = queue.popleft()
        kind = kind_of(url)
        if kind in seen_kinds or SKIP.search(url):
            continue
        seen_kinds.add(kind)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append(url)
        parser = _Links()
        parser.feed(response.content.decode())
        for link in parser.links:
            if kind_of(link) not in seen_kinds:
                queue.append(link)
    return pages
