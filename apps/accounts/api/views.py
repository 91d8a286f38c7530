"""Sign-up, tokens, the caller's own account, and organisations."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import Membership, Organisation
from apps.accounts.services import user_sign_up
from apps.core.api import ScopedQuerysetMixin

from . import serializers
from .filters import OrganisationFilter


def _me(user):
    """The user with its memberships loaded for ``MeSerializer``."""
    memberships = Membership.objects.select_related("organisation").order_by("organisation__name")
    return type(user).objects.prefetch_related(Prefetch("memberships", queryset=memberships)).get(pk=user.pk)


class AuthTokenView(APIView):
    """Exchange an email and password for an API token, or revoke the caller's token."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    @extend_schema(summary="Sign in: get an API token", request=serializers.TokenRequestSerializer,
                   responses={200: serializers.TokenSerializer})
    def post(self, request):
        body = serializers.TokenRequestSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        user = body.validated_data["user"]
        token, _created = Token.objects.get_or_create(user=user)
        return Response(serializers.TokenSerializer({"token": token.key, "user": _me(user)}).data)

    @extend_schema(summary="Sign out: revoke the API token", request=None,
                   responses={204: OpenApiResponse(description="The token no longer works.")})
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignUpView(APIView):
    """Create an account (student, firm, university or government); organisations start pending approval."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(summary="Create an account", request=serializers.SignUpSerializer,
                   responses={201: serializers.TokenSerializer})
    def post(self, request):
        body = serializers.SignUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user = user_sign_up(**body.validated_data)
        token, _created = Token.objects.get_or_create(user=user)
        return Response(serializers.TokenSerializer({"token": token.key, "user": _me(user)}).data,
                        status=status.HTTP_201_CREATED)


class MeView(generics.GenericAPIView):
    """The signed-in account."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = serializers.MeSerializer

    @extend_schema(summary="The signed-in account")
    def get(self, request):
        return Response(self.get_serializer(_me(request.user)).data)


@extend_schema_view(list=extend_schema(summary="Organisations"), retrieve=extend_schema(summary="One organisation"))
class OrganisationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Approved organisations are public; members also see their own pending ones; admins see all."""

    queryset = Organisation.objects.all()
    serializer_class = serializers.OrganisationSerializer
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "created_at"]
