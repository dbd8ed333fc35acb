from django.urls import path

from . import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("apply/", views.organization_apply, name="apply"),
    path("profile/", views.profile, name="profile"),
    path("new/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/edit/", views.organization_edit, name="edit"),
    path("<int:pk>/<str:action>/", views.organization_transition, name="transition"),
    path("<int:pk>/members/invite/", views.member_invite, name="invite"),
    path("<int:pk>/members/<int:member_pk>/remove/", views.member_remove, name="member-remove"),
    path(
        "<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("<int:pk>/controls/new/", views.control_relationship_add, name="control-add"),
    path(
        "<int:pk>/controls/<int:control_pk>/remove/",
        views.control_relationship_remove,
        name="control-remove",
    ),
    path("<int:pk>/credentials/new/", views.credential_add, name="credential-add"),
    path("credentials/<int:pk>/download/", views.credential_download, name="credential-download"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
]
