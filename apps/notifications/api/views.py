"""The caller's own notifications and notification settings. Nobody sees anyone else's (``for_user``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.api import ScopedQuerysetMixin
from apps.notifications import services
from apps.notifications.models import Notification

from .serializers import MarkedSerializer, NotificationSerializer, NotificationSettingsSerializer


@extend_schema_view(
    list=extend_schema(summary="My notifications", description="Newest first; `?unread=true` for unread only."),
    retrieve=extend_schema(summary="One of my notifications"),
)
class NotificationViewSet(ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    queryset = Notification.objects.all()
    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list" and self.request.query_params.get("unread") in ("1", "true", "yes"):
            queryset = queryset.unread()
        return queryset

    @extend_schema(summary="Mark a notification read", request=None, responses=MarkedSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        return Response({"marked": services.notification_mark_read(user=request.user,
                                                                    notification_ids=[notification.pk])})

    @extend_schema(summary="Mark all my notifications read", request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": services.notification_mark_read(user=request.user)})


class NotificationSettingsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(summary="My notification settings", responses=NotificationSettingsSerializer)
    def get(self, request):
        return Response(NotificationSettingsSerializer(services.settings_for(request.user)).data)

    @extend_schema(summary="Change my notification settings", request=NotificationSettingsSerializer,
                   responses=NotificationSettingsSerializer)
    def patch(self, request):
        serializer = NotificationSettingsSerializer(services.settings_for(request.user), data=request.data,
                                                    partial=True)
        serializer.is_valid(raise_exception=True)
        row = services.settings_update(user=request.user, data=dict(serializer.validated_data), consent_source="api")
        return Response(NotificationSettingsSerializer(row).data)
