"""Pages of rounds (under ``rounds/``): officers' set-up, opening and
qualification; public calls and clarifications; organizations' bids; the expert
pool, panels, scoring, results and awards; public notices and objections.

The review's paths start with a fixed word so none collides with the calls'."""

from django.urls import path

from .views import (
    bids,
    calls,
    experts,
    notices,
    opening,
    public,
    recusals,
    results,
    rounds,
    scoring,
    sealing,
)

app_name = "bidding"

urlpatterns = [
    # Officers and federation staff
    path("", rounds.round_list, name="round-list"),
    path("new/", rounds.round_create, name="round-create"),
    path("<int:pk>/", rounds.round_detail, name="round-detail"),
    path("<int:pk>/edit/", rounds.round_edit, name="round-edit"),
    path("<int:pk>/lots/", rounds.round_lots, name="round-lots"),
    path("<int:pk>/lots/<int:lot_pk>/edit/", rounds.lot_edit, name="lot-edit"),
    path("<int:pk>/lots/<int:lot_pk>/remove/", rounds.lot_remove, name="lot-remove"),
    path("<int:pk>/rubric/", rounds.round_rubric, name="round-rubric"),
    path("<int:pk>/tranches/", rounds.round_tranches, name="round-tranches"),
    path("<int:pk>/questions/", rounds.round_questions, name="round-questions"),
    path("<int:pk>/deadline/", rounds.round_extend_deadline, name="round-extend-deadline"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        rounds.question_answer,
        name="question-answer",
    ),
    path("<int:pk>/opening/", opening.round_opening, name="round-opening"),
    path("<int:pk>/opening/share/", sealing.share_present, name="round-share-present"),
    path("<int:pk>/key-holders/", sealing.round_key_holders, name="round-key-holders"),
    path("opening-key/", sealing.opening_key, name="opening-key"),
    path("<int:pk>/qualification/", opening.round_qualification, name="round-qualification"),
    path("<int:pk>/bids.xlsx", opening.round_export, name="round-export"),
    path(
        "<int:pk>/do/<str:action>/",
        rounds.round_action,
        name="round-action",
    ),
    path(
        "lots/<int:pk>/complete-qualification/",
        opening.lot_complete_qualification,
        name="lot-complete-qualification",
    ),
    path(
        "lots/<int:pk>/related-bidders/",
        opening.lot_related_bidders,
        name="lot-related-bidders",
    ),
    path("bids/<int:pk>/qualification/", opening.bid_qualification, name="bid-qualification"),
    # Public calls
    path("calls/", calls.call_list, name="call-list"),
    path("calls/<int:pk>/", calls.call_detail, name="call-detail"),
    path("calls/<int:pk>/tender.pdf", public.call_tender_pdf, name="call-tender-pdf"),
    path("calls/how-to-take-part/", public.guide, name="guide"),
    path(
        "calls/<int:pk>/clarifications/",
        calls.call_clarifications,
        name="call-clarifications",
    ),
    path("calls/<int:pk>/ask/", calls.call_ask, name="call-ask"),
    path("calls/<int:pk>/lots/<int:lot_pk>/prepare/", calls.bid_prepare, name="bid-prepare"),
    # Organizations' bids
    path("bids/", bids.my_bids, name="my-bids"),
    path("bids/<int:pk>/", bids.bid_detail, name="bid-detail"),
    path("lots/<int:pk>/panel/", recusals.lot_panel, name="lot-panel"),
    path("lots/<int:pk>/panel/recusal/", recusals.lot_panel_recusal, name="lot-panel-recusal"),
    path("review/recusals/<int:pk>/decide/", recusals.recusal_decide, name="review-recusal-decide"),
    path("bids/<int:pk>/edit/", bids.bid_edit, name="bid-edit"),
    path("bids/<int:pk>/submit/", bids.bid_submit, name="bid-submit"),
    path("bids/<int:pk>/withdraw/", bids.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:pk>/receipt/", bids.bid_receipt, name="bid-receipt"),
    path("bids/<int:pk>/receipt.pdf", bids.bid_receipt_pdf, name="bid-receipt-pdf"),
    path("bids/<int:pk>/attachments/", bids.bid_attachment_add, name="bid-attachment-add"),
    path(
        "bids/<int:pk>/attachments/<int:attachment_pk>/",
        bids.bid_attachment_download,
        name="bid-attachment",
    ),
    path(
        "bids/<int:pk>/attachments/<int:attachment_pk>/remove/",
        bids.bid_attachment_remove,
        name="bid-attachment-remove",
    ),
    path("experts/", experts.expert_pool, name="expert-pool"),
    path("experts/new/", experts.expert_create, name="expert-create"),
    path("experts/<int:pk>/edit/", experts.expert_edit, name="expert-edit"),
    path("review/", experts.review_index, name="review-index"),
    path("review/rounds/<int:pk>/", experts.review_round, name="review-round"),
    path("review/rounds/<int:pk>/draw/", experts.review_draw, name="review-draw"),
    path(
        "review/rounds/<int:pk>/representative/",
        experts.review_representative,
        name="review-representative",
    ),
    path("review/rounds/<int:pk>/start/", experts.review_start, name="review-start"),
    path("review/rounds/<int:pk>/notice/", notices.review_publish_notice, name="review-notice"),
    path("review/assignments/", experts.my_assignments, name="review-assignments"),
    path("review/assignments/<int:pk>/declare/", experts.declare, name="review-declare"),
    path("review/assignments/<int:pk>/replace/", experts.review_replace, name="review-replace"),
    path("review/lots/<int:lot_pk>/score/", scoring.score, name="review-score"),
    path(
        "review/lots/<int:lot_pk>/non-responsive/",
        scoring.mark_non_responsive,
        name="review-non-responsive",
    ),
    path(
        "review/findings/<int:pk>/decide/",
        scoring.decide_non_responsive,
        name="review-finding-decide",
    ),
    path(
        "review/lots/<int:lot_pk>/score/submit/", scoring.score_submit, name="review-score-submit"
    ),
    path("review/lots/<int:lot_pk>/sign/", scoring.score_sign, name="review-sign"),
    path("review/lots/<int:lot_pk>/result/", results.result, name="review-result"),
    path("review/lots/<int:lot_pk>/result.xlsx", results.result_xlsx, name="review-result-xlsx"),
    path("review/lots/<int:lot_pk>/propose/", results.award_propose, name="review-propose"),
    path("review/lots/<int:lot_pk>/confirm/", results.award_confirm, name="review-confirm"),
    path("review/lots/<int:lot_pk>/draw/", results.award_record_draw, name="review-tie-draw"),
    path("notices/", notices.notice_list, name="notice-list"),
    path("notices/<int:pk>/", notices.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/notice.pdf", public.notice_pdf, name="notice-pdf"),
    path("objections/", notices.objection_list, name="objection-list"),
    path("objections/<int:pk>/", notices.objection_detail, name="objection-detail"),
]
