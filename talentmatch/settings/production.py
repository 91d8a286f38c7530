"""Production settings: everything in base plus HTTPS hardening; refuses to start without secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import env

SECRET_KEY = env("SECRET_KEY", default="")
if (not SECRET_KEY or SECRET_KEY.startswith(("dev-insecure", "django-insecure")) or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters in production.")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Cookies: sent over HTTPS only, out of reach of scripts, not sent on cross-site subrequests (base.py sets
# SameSite=Lax and the idle timeout: SESSION_COOKIE_AGE counted from the last request).
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
