"""Privacy over the API: my consents (read, grant, withdraw), my data export, deleting my account, and the audit
trail for platform admins."""

import json

from django.contrib.auth import logout
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import ScopedQuerysetMixin
from apps.privacy import selectors, services
from apps.privacy.models import Action, AuditEvent, ConsentSource

from .serializers import AuditEventSerializer, ConsentChangeSerializer, ConsentStateSerializer, DeleteAccountSerializer


class ConsentsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="My consents", responses=ConsentStateSerializer(many=True))
    def get(self, request):
        return Response(ConsentStateSerializer(selectors.consent_states(request.user), many=True).data)

    @extend_schema(summary="Grant or withdraw a consent", request=ConsentChangeSerializer,
                   responses=ConsentStateSerializer(many=True),
                   description="Takes effect at once and is recorded with the time and the policy version.")
    def post(self, request):
        body = ConsentChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.consent_set(user=request.user, purpose=body.validated_data["purpose"],
                             granted=body.validated_data["granted"], source=ConsentSource.API)
        return Response(ConsentStateSerializer(selectors.consent_states(request.user), many=True).data)


class ExportView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Export my personal data", responses={200: OpenApiTypes.OBJECT},
                   description="Every row of every personal-data model that belongs to the caller (recorded in "
                               "the audit trail).")
    def get(self, request):
        return Response(json.loads(services.export_json(user=request.user)))


class DeleteAccountView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="Delete my account", request=DeleteAccountSerializer,
                   responses={204: OpenApiResponse(description="Deleted; the account can no longer sign in.")})
    def post(self, request):
        body = DeleteAccountSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.account_delete(user=request.user, password=body.validated_data["password"])
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AuditEventFilter(filters.FilterSet):
    date_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    date_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    action = filters.ChoiceFilter(choices=Action.choices)

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "date_from", "date_to"]


class IsPlatformAdmin(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_platform_admin)


@extend_schema(summary="The audit trail", description="Platform admins only; filter by actor, action and date.")
class AuditEventListView(ScopedQuerysetMixin, generics.ListAPIView):
    permission_classes = [permissions.IsAuthenticated, IsPlatformAdmin]
    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.all()
    filter_backends = [filters.DjangoFilterBackend]
    filterset_class = AuditEventFilter
