"""API routes of rounds, bids and the review, included under /api/v1/ by the
root URLconf."""

from rest_framework.routers import SimpleRouter

from .bids import BidViewSet
from .review import (
    AwardViewSet,
    NoticeViewSet,
    ObjectionViewSet,
    PanelViewSet,
    RecusalRequestViewSet,
    ResponsivenessFindingViewSet,
    ScoreSheetViewSet,
)
from .rounds import LotViewSet, QuestionViewSet, RoundViewSet

router = SimpleRouter()
router.register("rounds", RoundViewSet, basename="round")
router.register(
    r"rounds/(?P<round_pk>[0-9]+)/questions", QuestionViewSet, basename="round-question"
)
router.register("lots", LotViewSet, basename="lot")
router.register("bids", BidViewSet, basename="bid")
router.register("panels", PanelViewSet, basename="panel")
router.register("scores", ScoreSheetViewSet, basename="score-sheet")
router.register("awards", AwardViewSet, basename="award")
router.register("notices", NoticeViewSet, basename="notice")
router.register("objections", ObjectionViewSet, basename="objection")
router.register("findings", ResponsivenessFindingViewSet, basename="finding")
router.register("recusals", RecusalRequestViewSet, basename="recusal")

urlpatterns = [*router.urls]
