from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from purchase_portal.drf import (
    ScopedPrimaryKeyRelatedField,
    StrictModelSerializer,
    StrictSerializer,
)

from .. import credit_code
from ..models import Credential, Invitation, Membership, Organization, ServiceCategory, Street, User
from ..selectors import organization_list


class StreetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Street
        fields = ["id", "code", "name"]


class OrganizationSerializer(StrictModelSerializer):
    """An organization's profile. Write fields are checked again by the service."""

    # Streets and service categories are reference data every user may name: not scoped.
    street = serializers.PrimaryKeyRelatedField(
        queryset=Street.objects.all(), required=False, allow_null=True
    )
    street_name = serializers.CharField(source="street.name", read_only=True, default="")
    service_categories = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=ServiceCategory.objects.all(), required=False
    )
    credit_code_warning = serializers.SerializerMethodField()
    legal_form_warning = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "credit_code",
            "credit_code_checksum_ok",
            "credit_code_warning",
            "category",
            "legal_form",
            "legal_form_warning",
            "registration_date",
            "legal_representative",
            "address",
            "street",
            "street_name",
            "contact_name",
            "contact_phone",
            "contact_email",
            "rating",
            "rating_expires_on",
            "is_welfare_unit",
            "service_categories",
            "status",
            "status_reason",
            "verified_at",
            "created_at",
        ]
        read_only_fields = [
            "credit_code_checksum_ok",
            "status",
            "status_reason",
            "verified_at",
            "created_at",
        ]

    def get_credit_code_warning(self, obj) -> str:
        # Reads only the row's own fields: no extra query per item.
        if obj.credit_code_checksum_ok:
            return ""
        return str(
            _("The check character of this credit code does not match (expected %(c)s).")
            % {"c": credit_code.check(obj.credit_code).expected_check_char}
        )

    def get_legal_form_warning(self, obj) -> str:
        # The legal form against positions 1–2 of the credit code (GB 32100-2015); the
        # row's own fields only.
        return credit_code.legal_form_warning(obj.credit_code, obj.legal_form)

    def validate_credit_code(self, value):
        result = credit_code.check(value)
        if result.errors:
            raise serializers.ValidationError(result.errors)
        return result.code


class OrganizationCreateSerializer(OrganizationSerializer):
    acknowledge_checksum = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text=_(
            "Officers registering an organization whose check character fails must acknowledge it."
        ),
    )

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "acknowledge_checksum"]


class OrganizationUpdateSerializer(OrganizationSerializer):
    acknowledge_checksum = serializers.BooleanField(
        required=False,
        default=False,
        write_only=True,
        help_text=_(
            "An officer giving a verified organization a credit code whose check character fails must acknowledge it."
        ),
    )

    class Meta(OrganizationSerializer.Meta):
        fields = [*OrganizationSerializer.Meta.fields, "acknowledge_checksum"]


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class VerifySerializer(StrictSerializer):
    acknowledge_checksum = serializers.BooleanField(required=False, default=False)


class MemberUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "name", "email"]


class MembershipSerializer(serializers.ModelSerializer):
    user = MemberUserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "user", "role", "created_at"]
        read_only_fields = fields


class InviteSerializer(StrictSerializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.MEMBER)


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "email",
            "role",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]
        read_only_fields = fields


class CredentialSerializer(StrictModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(
        queryset=Organization.objects.all(), scope=organization_list
    )
    file = serializers.FileField(write_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Credential
        fields = [
            "id",
            "organization",
            "kind",
            "year",
            "result",
            "annual_income",
            "file",
            "original_name",
            "content_type",
            "size",
            "issued_on",
            "expires_on",
            "created_at",
            "download_url",
        ]
        read_only_fields = ["original_name", "content_type", "size", "created_at"]

    def get_download_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("api:credential-download", args=[obj.pk])

    def validate(self, attrs):
        issued, expires = attrs.get("issued_on"), attrs.get("expires_on")
        if issued and expires and expires < issued:
            raise serializers.ValidationError(
                {"expires_on": [_("The expiry date cannot be before the issue date.")]}
            )
        return attrs


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "roles", "memberships"]
        read_only_fields = fields

    def get_roles(self, obj) -> list[str]:
        from purchase_portal.roles import roles_of

        return sorted(roles_of(obj))

    def get_memberships(self, obj) -> list[dict]:
        return [
            {
                "organization": m.organization_id,
                "organization_name": m.organization.name,
                "role": m.role,
            }
            for m in obj.memberships.select_related("organization")
        ]


class TokenRequestSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text=_(
            "The current code from the user's authenticator app; required when the user "
            "has two-factor authentication on, or must use it (staff)."
        ),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("The token; shown only this once."))
    token_id = serializers.CharField(help_text=_("The token's first characters, to tell it apart."))
    expires_at = serializers.DateTimeField()
