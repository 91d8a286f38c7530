"""Helpers the training models share: who a user is, which organisations they belong to, bilingual fields."""

from django.utils.translation import get_language


def signed_in(user) -> bool:
    """Whether ``user`` is a signed-in account (not anonymous, not None)."""
    return bool(getattr(user, "is_authenticated", False))


def member_org_ids(user, kind: str) -> list[int]:
    """Organisations of ``kind`` the user belongs to (only when the account plays that role)."""
    if not signed_in(user) or user.account_type != kind:
        return []
    return user.organisation_ids(kind)


def bilingual(obj, field: str) -> str:
    """``obj.<field>_zh`` or ``_en`` in the active language, falling back to the other when empty."""
    zh, en = getattr(obj, f"{field}_zh"), getattr(obj, f"{field}_en")
    return (zh or en) if (get_language() or "zh-hans").lower().startswith("zh") else (en or zh)
