"""Pages of the review, awards, public notices and objections (under ``rounds/``).

Every path starts with a fixed word so none collides with the calls' pages."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("experts/", views.expert_pool, name="expert-pool"),
    path("experts/new/", views.expert_create, name="expert-create"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert-edit"),
    path("review/", views.review_index, name="review-index"),
    path("review/rounds/<int:pk>/", views.review_round, name="review-round"),
    path("review/rounds/<int:pk>/draw/", views.review_draw, name="review-draw"),
    path("review/rounds/<int:pk>/start/", views.review_start, name="review-start"),
    path("review/rounds/<int:pk>/notice/", views.review_publish_notice, name="review-notice"),
    path("review/assignments/", views.my_assignments, name="review-assignments"),
    path("review/assignments/<int:pk>/declare/", views.declare, name="review-declare"),
    path("review/assignments/<int:pk>/replace/", views.review_replace, name="review-replace"),
    path("review/lots/<int:lot_pk>/score/", views.score, name="review-score"),
    path("review/lots/<int:lot_pk>/result/", views.result, name="review-result"),
    path("review/lots/<int:lot_pk>/result.xlsx", views.result_xlsx, name="review-result-xlsx"),
    path("review/lots/<int:lot_pk>/propose/", views.award_propose, name="review-propose"),
    path("review/lots/<int:lot_pk>/confirm/", views.award_confirm, name="review-confirm"),
    path("review/lots/<int:lot_pk>/draw/", views.award_record_draw, name="review-tie-draw"),
    path("notices/", views.notice_list, name="notice-list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("objections/", views.objection_list, name="objection-list"),
    path("objections/<int:pk>/", views.objection_detail, name="objection-detail"),
]
