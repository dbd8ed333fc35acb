"""Pages of rounds up to the review: officers' set-up, opening and qualification;
public calls and clarifications; organizations' bids."""

from django.urls import path

from . import views, views_bids, views_calls, views_sealing

urlpatterns = [
    # Officers and federation staff
    path("", views.round_list, name="round-list"),
    path("new/", views.round_create, name="round-create"),
    path("<int:pk>/", views.round_detail, name="round-detail"),
    path("<int:pk>/edit/", views.round_edit, name="round-edit"),
    path("<int:pk>/lots/", views.round_lots, name="round-lots"),
    path("<int:pk>/lots/<int:lot_pk>/edit/", views.lot_edit, name="lot-edit"),
    path("<int:pk>/lots/<int:lot_pk>/remove/", views.lot_remove, name="lot-remove"),
    path("<int:pk>/rubric/", views.round_rubric, name="round-rubric"),
    path("<int:pk>/tranches/", views.round_tranches, name="round-tranches"),
    path("<int:pk>/questions/", views.round_questions, name="round-questions"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        views.question_answer,
        name="question-answer",
    ),
    path("<int:pk>/opening/", views.round_opening, name="round-opening"),
    path("<int:pk>/opening/share/", views_sealing.share_present, name="round-share-present"),
    path("<int:pk>/key-holders/", views_sealing.round_key_holders, name="round-key-holders"),
    path("opening-key/", views_sealing.opening_key, name="opening-key"),
    path("<int:pk>/qualification/", views.round_qualification, name="round-qualification"),
    path("<int:pk>/bids.xlsx", views.round_export, name="round-export"),
    path(
        "<int:pk>/do/<str:action>/",
        views.round_action,
        name="round-action",
    ),
    path(
        "lots/<int:pk>/complete-qualification/",
        views.lot_complete_qualification,
        name="lot-complete-qualification",
    ),
    path("bids/<int:pk>/qualification/", views.bid_qualification, name="bid-qualification"),
    # Public calls
    path("calls/", views_calls.call_list, name="call-list"),
    path("calls/<int:pk>/", views_calls.call_detail, name="call-detail"),
    path(
        "calls/<int:pk>/clarifications/",
        views_calls.call_clarifications,
        name="call-clarifications",
    ),
    path("calls/<int:pk>/ask/", views_calls.call_ask, name="call-ask"),
    path("calls/<int:pk>/lots/<int:lot_pk>/prepare/", views_calls.bid_prepare, name="bid-prepare"),
    # Organizations' bids
    path("bids/", views_bids.my_bids, name="my-bids"),
    path("bids/<int:pk>/", views_bids.bid_detail, name="bid-detail"),
    path("bids/<int:pk>/edit/", views_bids.bid_edit, name="bid-edit"),
    path("bids/<int:pk>/submit/", views_bids.bid_submit, name="bid-submit"),
    path("bids/<int:pk>/withdraw/", views_bids.bid_withdraw, name="bid-withdraw"),
    path("bids/<int:pk>/receipt/", views_bids.bid_receipt, name="bid-receipt"),
    path("bids/<int:pk>/receipt.pdf", views_bids.bid_receipt_pdf, name="bid-receipt-pdf"),
    path("bids/<int:pk>/attachments/", views_bids.bid_attachment_add, name="bid-attachment-add"),
    path(
        "bids/<int:pk>/attachments/<int:attachment_pk>/",
        views_bids.bid_attachment_download,
        name="bid-attachment",
    ),
    path(
        "bids/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views_bids.bid_attachment_remove,
        name="bid-attachment-remove",
    ),
]
