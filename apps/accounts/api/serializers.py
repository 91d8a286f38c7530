"""Representations of accounts and organisations; sign-up and sign-in go through services and Django auth."""

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.accounts.models import AccountType, FirmCategory, Membership, Organisation, User


class OrganisationSerializer(serializers.ModelSerializer):
    # Declared so the schema says what the model holds: both may be empty ("" is not a category or a URL).
    firm_category = serializers.ChoiceField(choices=FirmCategory.choices, allow_blank=True, read_only=True)
    website = serializers.URLField(allow_blank=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "name_en", "kind", "firm_category", "location", "website", "description", "status"]
        read_only_fields = fields


class MembershipSerializer(serializers.ModelSerializer):
    """One of the caller's organisations, with the caller's role in it and its approval status."""

    id = serializers.IntegerField(source="organisation.id", read_only=True)
    name = serializers.CharField(source="organisation.name", read_only=True)
    kind = serializers.CharField(source="organisation.kind", read_only=True)
    status = serializers.CharField(source="organisation.status", read_only=True,
                                   help_text=_("pending, approved or rejected."))

    class Meta:
        model = Membership
        fields = ["id", "name", "kind", "role", "status"]
        read_only_fields = fields


class MeSerializer(serializers.ModelSerializer):
    """The signed-in account: its type, organisations (role, approval status) and whether it has a profile."""

    organisations = MembershipSerializer(source="memberships", many=True, read_only=True)
    is_platform_admin = serializers.BooleanField(read_only=True)
    has_profile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "phone", "account_type", "preferred_language", "is_platform_admin",
                  "has_profile", "organisations"]
        read_only_fields = fields

    def get_has_profile(self, user) -> bool:
        return hasattr(user, "profile")


class TokenRequestSerializer(serializers.Serializer):
    """Email and password; ``validate`` signs in through Django's authentication backends."""

    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)

    def validate(self, attrs):
        user = authenticate(self.context.get("request"), email=attrs["email"].strip().lower(),
                            password=attrs["password"])
        if user is None:
            raise serializers.ValidationError(_("No active account has this email and password."),
                                              code="authorization")
        attrs["user"] = user
        return attrs


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send as `Authorization: Token <token>`."))
    user = MeSerializer()


class SignUpSerializer(serializers.Serializer):
    """What ``user_sign_up`` needs; firm, university and government accounts name their organisation."""

    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    account_type = serializers.ChoiceField(choices=[c for c in AccountType.choices if c[0] != AccountType.ADMIN])
    organisation_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                              help_text=_("Required for firm, university and government accounts."))
    firm_category = serializers.ChoiceField(choices=FirmCategory.choices, required=False, allow_blank=True,
                                            default="")
    preferred_language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False,
                                                 default=settings.LANGUAGE_CODE)

    def validate(self, attrs):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError as DjangoValidationError

        candidate = User(email=attrs["email"], full_name=attrs["full_name"])
        try:
            validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs
