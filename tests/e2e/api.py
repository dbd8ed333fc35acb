"""An API client as an integrator would use it: a token from
``/api/v1/auth/token/`` and JSON (multipart for files) on ``/api/v1/``."""

from __future__ import annotations

from rest_framework.test import APIClient

from .browser import PASSWORD

BASE = "/api/v1"


class Api:
    def __init__(self, user=None, *, language: str | None = None):
        headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
        self.client = APIClient(REMOTE_ADDR="198.51.100.20", **headers)
        self.user = user
        if user is not None:
            response = self.client.post(
                f"{BASE}/auth/token/",
                {"username": user.username, "password": PASSWORD},
                format="json",
            )
            assert response.status_code == 200, response.content
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")

    def _check(self, method, path, response, expect):
        if expect is not None:
            assert response.status_code == expect, (
                f"{method} {path}: {response.status_code}, expected {expect}: "
                f"{response.content[:2000]!r}"
            )
        if response.get("Content-Type", "").startswith("application/json"):
            return response.json()
        return response

    def get(self, path: str, params=None, *, expect: int | None = 200):
        response = self.client.get(f"{BASE}{path}", params or {})
        return self._check("GET", path, response, expect)

    def post(self, path: str, data=None, *, expect: int | None = 200, multipart: bool = False):
        response = self.client.post(
            f"{BASE}{path}", data or {}, format="multipart" if multipart else "json"
        )
        return self._check("POST", path, response, expect)

    def patch(self, path: str, data=None, *, expect: int | None = 200):
        response = self.client.patch(f"{BASE}{path}", data or {}, format="json")
        return self._check("PATCH", path, response, expect)

    def download(self, path: str, *, expect: int = 200) -> bytes:
        response = self.client.get(f"{BASE}{path}")
        assert response.status_code == expect, f"GET {path}: {response.status_code}"
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)
        return response.content

    def results(self, path: str, params=None) -> list:
        """Every row of a (cursor-paginated) list."""
        page = self.get(path, params)
        rows = list(page["results"])
        while page.get("next"):
            page = self.get(page["next"].split(BASE, 1)[1])
            rows += page["results"]
        return rows
