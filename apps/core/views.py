"""Liveness endpoint for load balancers and the run script."""

from django.db import connection
from django.http import JsonResponse


def healthz(request):
    """Answer 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
