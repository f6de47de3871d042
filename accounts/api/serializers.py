from rest_framework import serializers

from accounts.models import TokenFamily, User
from accounts.roles import Tier


class LoginInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.RegexField(r"^[0-9]{6}$", required=False, allow_blank=True)

    def validate_email(self, value: str) -> str:
        return value.strip().lower()


class SignupInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    full_name = serializers.CharField(
        max_length=150, required=False, allow_blank=True, default=""
    )


class SignupOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "date_joined"]


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=4096)


class TokenPairOutputSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()
    session_id = serializers.UUIDField(source="family_id")


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    retry_after_seconds = serializers.IntegerField(required=False)
    reasons = serializers.ListField(child=serializers.CharField(), required=False)


class ErrorOutputSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class SessionOutputSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = TokenFamily
        fields = [
            "id",
            "user_agent",
            "ip_address",
            "created_at",
            "last_used_at",
            "expires_at",
            "current",
        ]

    def get_current(self, obj: TokenFamily) -> bool:
        return str(obj.pk) == self.context.get("current_family_id")


class MeUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "full_name", "is_staff", "is_superuser", "date_joined"]


class MeOutputSerializer(serializers.Serializer):
    user = MeUserSerializer()
    tiers = serializers.ListField(child=serializers.CharField())
    groups = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())
    totp_enabled = serializers.BooleanField()


class TotpStartOutputSerializer(serializers.Serializer):
    provisioning_uri = serializers.CharField()


class TotpStartInputSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class TotpConfirmInputSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^[0-9]{6}$")


class UserOutputSerializer(serializers.ModelSerializer):
    tiers = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "is_active",
            "is_staff",
            "date_joined",
            "last_login",
            "tiers",
        ]

    def get_tiers(self, obj: User) -> list[str]:
        # Uses the prefetched groups: no query per row.
        return sorted(g.name for g in obj.groups.all() if g.name in Tier.values)


class UserActiveInputSerializer(serializers.Serializer):
    is_active = serializers.BooleanField()


class UserTiersInputSerializer(serializers.Serializer):
    tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=Tier.choices), max_length=len(Tier.values)
    )
