"""Serializers of the keys that seal bids: an officer's opening key, a round's
key holders, the presentation of a share. Keys themselves are never shown."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from organizations.models import User


class OpeningKeyCreateSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=256, style={"input_type": "password"}
    )
    password_again = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=256, style={"input_type": "password"}
    )


class OpeningKeySerializer(serializers.Serializer):
    has_key = serializers.BooleanField()
    created_at = serializers.DateTimeField(allow_null=True)
    fingerprint = serializers.CharField(
        allow_blank=True, help_text=_("The first bytes of the public key, to compare.")
    )


class KeyHoldersSetSerializer(serializers.Serializer):
    # Not scoped: only federation staff reach this (the view refuses anyone else before
    # reading the input) and they may name any active user; that each holder is an
    # officer with an opening key is the service's rule.
    holders = serializers.PrimaryKeyRelatedField(
        many=True, queryset=User.objects.filter(is_active=True)
    )
    threshold = serializers.IntegerField(min_value=2, max_value=9)


class KeyHolderSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="holder_id")
    name = serializers.CharField(source="holder.display_name")
    presented = serializers.SerializerMethodField()
    presented_at = serializers.DateTimeField(allow_null=True)

    def get_presented(self, share) -> bool:
        return share.presented_at is not None


class RoundSealSerializer(serializers.Serializer):
    threshold = serializers.IntegerField()
    sealed = serializers.BooleanField(source="is_sealed")
    sealed_at = serializers.DateTimeField(allow_null=True)
    holders = KeyHolderSerializer(many=True, source="share_rows")


class SharePresentSerializer(serializers.Serializer):
    password = serializers.CharField(
        write_only=True, trim_whitespace=False, max_length=256, style={"input_type": "password"}
    )
