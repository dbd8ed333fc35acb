"""Public pages kept for visitors who are not signed in.

The calls, the award notices and the published contracts are the pages the
public opens most, and they are the same for every visitor who is not signed
in. ``kept_for_visitors`` keeps such a page, as written, for a short while
(``PUBLIC_PAGE_CACHE_SECONDS``, by default one minute where the cache is Redis,
which every worker shares) and gives it to the next visitors instead of reading
and writing it again.

Nothing kept outlives a change: a committed change of any row of the portal's
records (a saved or deleted row of any model but the bookkeeping ones) gives
them a new generation (``purchase_portal.generation``), so the next visitor
reads the page afresh. What changes with time alone (a
call closing at its deadline) is kept no longer than until that moment
(``keep_until``).

Only pages for visitors are kept: a request from a signed-in user, or one that
carries a session or messages to show, is always answered afresh. The one
per-visitor part of these pages, the CSRF token of the language switch, is put
in for each visitor.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from . import generation

#: Stands for the visitor's CSRF token in a kept page.
VISITOR_MARK = "\x00csrf-token\x00"
_TOKEN_FIELD = re.compile(r'(name="csrfmiddlewaretoken" value=")([^"]*)(")')


def keep_seconds() -> int:
    return int(getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 0) or 0)


def keep_until(request, moment: dt.datetime | None) -> None:
    """The page changes by itself at ``moment`` (a deadline): keep it no longer."""
    if moment is None:
        return
    earliest = getattr(request, "_public_page_until", None)
    if earliest is None or moment < earliest:
        request._public_page_until = moment


def _for_visitor(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def _key(request, token: str) -> str:
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language()
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"public-pages:{token}:{language}:{path}"


def kept_for_visitors(view):
    """Keep the page ``view`` writes for visitors (see the module)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = keep_seconds()
        if seconds <= 0 or not _for_visitor(request):
            return view(request, *args, **kwargs)
        key = _key(request, generation.current())
        kept = cache.get(key)
        if kept is not None:
            content_type, text = kept
            text = text.replace(VISITOR_MARK, get_token(request))
            return HttpResponse(text, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cache-Control" not in response
        ):
            until = getattr(request, "_public_page_until", None)
            if until is not None:
                seconds = min(seconds, int((until - timezone.now()).total_seconds()))
            if seconds > 0:
                text = _TOKEN_FIELD.sub(
                    lambda m: m.group(1) + VISITOR_MARK + m.group(3),
                    response.content.decode(response.charset),
                )
                cache.set(key, (response["Content-Type"], text), seconds)
        return response

    return wrapped
