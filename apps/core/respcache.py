"""Versioned response cache for read-heavy API lists (a vacancy's ranked candidates, the vacancy browse).

A cached answer is stored under a key made of everything the answer depends on plus the current value of one
or more *version counters* kept in the cache. Whatever changes such an answer bumps the matching counter, so
every key built from the old value is never read again (the entries expire with their TTL):

- ``matches``: every ranked list may have changed (full rematch, bulk import); ``matches:<vacancy id>``: that
  vacancy's candidate list changed (an incremental recompute bumps exactly the lists it wrote);
- ``profiles``: what a candidate row shows or whether it is shown (profile, its skills and languages, the
  account, consents, applications, firms and memberships);
- ``vacancies``: a vacancy, its requirements, its firm.

Bumps run after the writing transaction commits (``transaction.on_commit``): a rolled-back change does not
bump, and a reader that sees the new counter also sees the committed data. Readers take the counters
*before* they read the data, so an answer computed from older data is stored under an older, dead key.

Model changes bump through signals (``DEPENDENCIES``, connected in ``CoreConfig.ready``); bulk writes that
bypass signals bump through the matching triggers and ``full_rematch_after_import``, which every bulk path
calls. A counter's value is an opaque random token: a bump replaces it, so a counter that was evicted or
flushed can never come back to a value that older entries were stored under.

``RESPONSE_CACHE_SECONDS`` (0: off) bounds how long anything missed can stay stale. Only a cache every
process shares (Redis) sees every bump, so the setting defaults to 0 with a per-process cache.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

log = logging.getLogger(__name__)

PREFIX = "respcache"
HEADER = "X-Response-Cache"  # hit | miss | bypass: for benches and debugging, says nothing about the data

# Which model changes bump which counter (post_save and post_delete). ``accounts.User`` saves that only touch
# ``last_login`` (every login) are skipped.
DEPENDENCIES: dict[str, tuple[str, ...]] = {
    "accounts.User": ("profiles",),
    "accounts.Organisation": ("profiles", "vacancies"),
    "accounts.Membership": ("profiles", "vacancies"),
    "talent.StudentProfile": ("profiles",),
    "talent.ProfileSkill": ("profiles",),
    "talent.ProfileLanguage": ("profiles",),
    "privacy.ConsentRecord": ("profiles",),
    "applications.Application": ("profiles",),
    "applications.ContactConsent": ("profiles",),
    "jobs.Vacancy": ("vacancies",),
    "jobs.VacancySkill": ("vacancies",),
    "jobs.VacancyLanguage": ("vacancies",),
    "skills.Skill": ("profiles", "vacancies"),
    "skills.Location": ("profiles",),
    "skills.Market": ("profiles",),
}


def seconds() -> int:
    """How long an answer stays cached at most; 0 when response caching is off."""
    return max(int(getattr(settings, "RESPONSE_CACHE_SECONDS", 0) or 0), 0)


def enabled() -> bool:
    return seconds() > 0


def _version_key(name: str) -> str:
    return f"{PREFIX}:v:{name}"


def versions(*names: str) -> tuple[str, ...] | None:
    """The current value of these counters (one cache round trip), or None when the cache fails (the caller
    answers without it). Read them before reading the data."""
    keys = [_version_key(n) for n in names]
    try:
        found = cache.get_many(keys)
        missing = [k for k in keys if k not in found]
        if missing:  # first use, evicted or flushed: a new value, never one an older entry was stored under
            for version_key in missing:
                cache.add(version_key, _token(), timeout=None)
            found.update(cache.get_many(missing))
        return tuple(found[k] for k in keys)
    except Exception:
        log.warning("response cache versions could not be read", exc_info=True)
        return None


def _token() -> str:
    return uuid.uuid4().hex


def list_version(vacancy_id: int) -> str:
    """The counter of one vacancy's candidate list."""
    return f"matches:{vacancy_id}"


def versioned_key(namespace: str, *parts, depends_on: tuple[str, ...] = ()) -> str | None:
    """A cache key for ``parts`` (anything with a stable ``repr``) and the current value of ``depends_on``; None
    when the counters cannot be read (do not cache then)."""
    stamp = versions(*depends_on) if depends_on else ()
    return None if stamp is None else key(namespace, *parts, stamp)


def key(namespace: str, *parts) -> str:
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
    return f"{PREFIX}:{namespace}:{digest}"


def request_parts(request) -> tuple:
    """What a list answer depends on in the request itself: the language, the host and scheme (the ``next`` and
    ``previous`` links are absolute), every query parameter in a normal order, and today's date (deadlines)."""
    params = tuple(sorted((name, tuple(values)) for name, values in request.query_params.lists()))
    return (translation.get_language(), request.scheme, request.get_host(), params, str(timezone.localdate()))


def get(cache_key: str):
    """The cached value or None; a cache that fails is treated as a miss."""
    try:
        return cache.get(cache_key)
    except Exception:
        log.warning("response cache read failed", exc_info=True)
        return None


def put(cache_key: str, value) -> None:
    try:
        cache.set(cache_key, value, timeout=seconds())
    except Exception:
        log.warning("response cache write failed", exc_info=True)


def _renew(names) -> None:
    if not names:
        return
    try:
        cache.set_many({_version_key(n): _token() for n in names}, timeout=None)  # one round trip
    except Exception:
        log.warning("response cache versions %s could not be bumped", names, exc_info=True)


_batch: contextvars.ContextVar[set | None] = contextvars.ContextVar("respcache_batch", default=None)


def bump(*names: str) -> None:
    """Invalidate every cached answer that depends on these counters, once the current transaction commits.

    A rolled-back transaction (or savepoint) drops the pending bump with the change. Inside ``batched()``
    the names are collected and bumped once when the batch ends.
    """
    if not names:
        return
    collected = _batch.get()
    if collected is not None:
        collected.update(names)
        return
    transaction.on_commit(lambda: _renew(names))


@contextlib.contextmanager
def batched():
    """Collect the bumps of a bulk operation (an import saving thousands of rows) into one per counter,
    scheduled when the block ends (inside the caller's transaction, so a rollback still drops it)."""
    if _batch.get() is not None:  # nested: the outer batch bumps
        yield
        return
    names: set = set()
    token = _batch.set(names)
    try:
        yield
    finally:
        _batch.reset(token)
    bump(*sorted(names))


def _receiver(names: tuple[str, ...]):
    def changed(sender, instance=None, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return
        bump(*names)

    return changed


def connect() -> None:
    """Connect the model signals listed in ``DEPENDENCIES`` (models of apps not installed are skipped)."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    for label, names in DEPENDENCIES.items():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        receiver = _receiver(names)
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"respcache:save:{label}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"respcache:delete:{label}")
