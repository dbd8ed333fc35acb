"""Locust users for ``make loadtest``: every user requests every target in turn,
back to back (no think time), so N users keep N requests in flight.

The targets (name, path, the session cookie of the role that opens it) come
from the JSON file in ``LOADTEST_TARGETS``, written by ``run.py`` after it
signed the seeded users in. Statistics are per target name; a response other
than 200 is an error.
"""

from __future__ import annotations

import itertools
import json
import os

from locust import FastHttpUser, constant, task

with open(os.environ["LOADTEST_TARGETS"], encoding="utf-8") as handle:
    TARGETS = json.load(handle)["targets"]

_offsets = itertools.count()


class PortalUser(FastHttpUser):
    wait_time = constant(0)
    # One connection per user, as a browser or API client keeps one open.
    concurrency = 1

    def on_start(self):
        # Users start at different targets so that every target sees concurrency.
        start = next(_offsets) * 7 % len(TARGETS)
        self._targets = itertools.cycle(TARGETS[start:] + TARGETS[:start])

    @task
    def next_target(self):
        target = next(self._targets)
        headers = {"Accept-Language": "zh-hans"}
        if target.get("cookie"):
            headers["Cookie"] = target["cookie"]
        if target.get("accept"):
            headers["Accept"] = target["accept"]
        with self.client.get(
            target["path"], name=target["name"], headers=headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
