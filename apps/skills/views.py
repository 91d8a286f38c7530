"""The skills browser and the small JSON search the skill pickers call."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from .models import Skill, SkillCategory
from .selectors import skill_search

SEARCH_LIMIT_MAX = 25


def index(request):
    """Categories with their skills (both labels), filtered by a category and a search box."""
    query = request.GET.get("q", "").strip()[:100]
    category_code = request.GET.get("category", "").strip()
    categories = SkillCategory.objects.annotate(
        skill_count=Count("skills", filter=Q(skills__is_active=True))
    ).filter(skill_count__gt=0)
    category = None
    if category_code:
        category = SkillCategory.objects.filter(code=category_code).first()
    skills = skill_search(query, limit=0, category=category.code if category else None)
    skills = Skill.objects.for_user(request.user).filter(pk__in=skills.values("pk")).select_related("category")
    skills = skills.order_by("source", "category__order", "code")
    page = Paginator(skills, 60).get_page(request.GET.get("page"))
    return render(request, "skills/index.html", {
        "categories": categories, "category": category, "query": query, "page_obj": page,
    })


def detail(request, code: str):
    """One skill: both labels, descriptions, other names, and a link to vacancies asking for it."""
    skill = get_object_or_404(Skill.objects.for_user(request.user).select_related("category"), code=code)
    aliases = skill.aliases.filter(kind="alias").order_by("language", "alias")
    return render(request, "skills/detail.html", {"skill": skill, "aliases": aliases})


@require_GET
def search_json(request):
    """``/skills/search.json?q=速卖通&limit=10&languages=0|1`` → ``{"results": [{code, label, ...}]}``."""
    query = request.GET.get("q", "").strip()[:100]
    try:
        limit = max(1, min(int(request.GET.get("limit", 10)), SEARCH_LIMIT_MAX))
    except ValueError:
        limit = 10
    languages = {"1": True, "0": False}.get(request.GET.get("languages", ""))
    if not query:
        return JsonResponse({"results": []})
    zh = (get_language() or "zh-hans").startswith("zh")
    results = []
    for skill in skill_search(query, limit=limit, languages_only=languages):
        results.append({
            "id": skill.pk,
            "code": skill.code,
            "label": skill.label,
            "other_label": (skill.label_en if zh else skill.label_zh) or "",
            "label_en": skill.label_en,
            "label_zh": skill.label_zh,
            "category": skill.category.label,
            "is_language": skill.is_language,
        })
    return JsonResponse({"results": results}, json_dumps_params={"ensure_ascii": False})
