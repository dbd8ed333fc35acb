"""Pages of rounds: calls, bids and opening (``urls_calls``); panels, scoring,
awards and notices (``urls_review``)."""

from django.urls import include, path

app_name = "bidding"

urlpatterns = [
    path("", include("bidding.urls_calls")),
    path("", include("bidding.urls_review")),
]
