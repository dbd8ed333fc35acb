"""The bare DRF lists of ``benchmarks/bare_urls.py`` under ``/bench/`` of the real
URLconf, served by the same gunicorn as the portal when ``BENCHMARK_BARE_LISTS``
is set (``make loadtest`` sets it; production never does)."""

from benchmarks.bare_urls import urlpatterns as _patterns

urlpatterns = [p for p in _patterns if str(p.pattern).startswith("bare/")]
