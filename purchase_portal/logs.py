"""Structured logs: one JSON object per line with the request id and client
address of the request being served (``LOG_FORMAT=json``, the production
default), or plain lines for development."""

from __future__ import annotations

import logging

from .middleware import client_ip, client_ip_var, request_id_var


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``client_ip`` to every record: from the request
    being served, or from the record's own request (Django logs a response's
    status after the middleware has finished)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        record.request_id = request_id_var.get() or getattr(request, "request_id", "") or ""
        address = client_ip_var.get()
        if not address and request is not None and hasattr(request, "META"):
            address = client_ip(request)
        record.client_ip = address or ""
        return True
