"""Template helpers for the pages: the same page in another language, query strings, level names."""

from django import template
from django.conf import settings
from django.urls import translate_url

from apps.skills.levels import CEFR, SkillLevel

register = template.Library()

_PREFIXED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _strip_prefix(path: str) -> str:
    for code in _PREFIXED:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return "/" + path[len(prefix):]
    return path


@register.simple_tag(takes_context=True)
def page_in_language(context, lang_code: str) -> str:
    """The current page's address in ``lang_code`` (the default language has no prefix)."""
    request = context.get("request")
    if request is None:
        return "/"
    current = request.get_full_path()
    translated = translate_url(current, lang_code)
    if translated != current:
        return translated
    bare = _strip_prefix(current)
    if lang_code == settings.LANGUAGE_CODE:
        return bare
    return f"/{lang_code}{bare}"


@register.filter
def level_name(value) -> str:
    """'3 · working' for 3 (translated)."""
    try:
        return str(SkillLevel(int(value)).label)
    except (TypeError, ValueError):
        return ""


@register.filter
def cefr_name(value) -> str:
    try:
        return str(CEFR(int(value)).label)
    except (TypeError, ValueError):
        return ""


@register.filter
def level_range(value):
    """Five positions for the level dots: filled up to ``value``."""
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    return [i <= level for i in range(1, 6)]


@register.simple_tag
def lang_path(path: str) -> str:
    """A plain path ("/reports/") under the current language's prefix, for pages other apps will add."""
    from django.utils.translation import get_language

    lang = get_language() or settings.LANGUAGE_CODE
    if lang == settings.LANGUAGE_CODE or lang not in _PREFIXED:
        return path
    return f"/{lang}{path}"


@register.filter
def label_for(mapping: dict, code):
    """``{{ locations|label_for:vacancy.location }}``: the label for a code, or the code itself."""
    return mapping.get(code, code) if mapping else code


@register.filter
def join_names(names) -> str:
    """Join names with the language's list separator ("、" in Chinese, ", " in English)."""
    from django.utils.translation import pgettext

    return pgettext("list of names", ", ").join(str(name) for name in names)
