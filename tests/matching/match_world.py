"""A small, hand-made matching world for the page, API, explain and export tests.

Firm A posts a TikTok Shop operator vacancy in the Hi-tech Zone (three required skills, one optional,
English B2) and a second one; firm B posts its own. Students: ``full`` meets everything and shares their
contact details; ``gap`` lacks TikTok Shop by two levels and has English B1; ``course`` holds Amazon from a
completed course; ``hidden`` and ``optout`` are never matched. A full rematch stores the lists.
"""

from dataclasses import dataclass

import pytest

from apps.jobs.models import Vacancy, VacancyLanguage, VacancyStatus
from apps.matching import services
from apps.skills.models import Skill
from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile
from tests import factories

TIKTOK = "platform.tiktok_shop"
AMAZON = "platform.amazon_seller_central"
LISTING = "platform.listing_optimization"
COPY = "content.listing_copywriting"


@pytest.fixture(autouse=True)
def fresh_incremental_cache():
    """Incremental recomputes keep per-process matrices keyed by generation; every test database starts at the
    same generation numbers, so drop them around each test (else another test's frozen idf leaks in)."""
    from apps.matching.services.incremental import _Cache

    _Cache.reset()
    yield
    _Cache.reset()


@dataclass
class World:
    firm_user: object
    other_firm_user: object
    vacancy: Vacancy
    second_vacancy: Vacancy
    other_vacancy: Vacancy
    draft_vacancy: Vacancy
    full: StudentProfile
    gap: StudentProfile
    course: StudentProfile
    hidden: StudentProfile
    optout: StudentProfile


def _student(name: str, *, skills: dict, english: int | None = None, email: str | None = None, **profile):
    user = factories.StudentFactory(full_name=name, phone="+86 138 0000 0000",
                                    **({"email": email} if email else {}),
                                    **{f"profile__{key}": value for key, value in profile.items()})
    p = user.profile
    factories.give_skills(p, **skills)
    if english:
        ProfileLanguage.objects.create(profile=p, language=Skill.objects.get(code="lang.en"), cefr=english)
    return p


def build_world(*, rematch: bool = True) -> World:
    firm = factories.FirmFactory(name="Hi-tech Trading Co.")
    firm_user = factories.MemberFactory(organisation=firm)
    other_firm = factories.FirmFactory(name="Other Firm Ltd.")
    other_firm_user = factories.MemberFactory(organisation=other_firm)

    vacancy = factories.VacancyFactory(firm=firm, title="TikTok Shop operator", location="hi_tech_zone",
                                       external_id="V-100")
    factories.require_skills(vacancy, required={TIKTOK: (3, 2.0), AMAZON: (3, 1.0), LISTING: (2, 1.0)},
                             optional={COPY: (2, 1.0)})
    VacancyLanguage.objects.create(vacancy=vacancy, language=Skill.objects.get(code="lang.en"), min_cefr=4)
    second = factories.VacancyFactory(firm=firm, title="Amazon listing assistant", location="city_centre")
    factories.require_skills(second, required={AMAZON: (2, 1.0)}, optional={LISTING: (3, 1.0)})
    other = factories.VacancyFactory(firm=other_firm, title="Other firm's operator", external_id="=HYPERLINK(1)")
    factories.require_skills(other, required={TIKTOK: (2, 1.0)})
    draft = factories.VacancyFactory(firm=other_firm, title="Draft vacancy", status=VacancyStatus.DRAFT)
    factories.require_skills(draft, required={TIKTOK: (2, 1.0)})

    full = _student("Li Full", skills={TIKTOK: 4, AMAZON: 3, LISTING: 3, COPY: 2}, english=5,
                    email="full@example.com", pref_locations=["hi_tech_zone"], contact_visible_to_firms=True,
                    external_id="S-1", school="Hi-tech Vocational College", major="E-commerce")
    gap = _student("Wang Gap", skills={TIKTOK: 1, AMAZON: 4, LISTING: 2}, english=3, email="gap@example.com",
                   external_id="+S-2")
    course = _student("Zhao Course", skills={AMAZON: 3, LISTING: 2}, english=4, email="course@example.com")
    ProfileSkill.objects.filter(profile=course, skill__code=AMAZON).update(source="course")
    hidden = _student("Hidden Student", skills={TIKTOK: 5, AMAZON: 5, LISTING: 5}, english=6,
                      email="hidden@example.com", visibility="hidden")
    optout = _student("Optout Student", skills={TIKTOK: 5, AMAZON: 5, LISTING: 5}, english=6,
                      email="optout@example.com", matching_opt_in=False)
    if rematch:
        services.full_rematch_in_process(reason="test")
    return World(firm_user=firm_user, other_firm_user=other_firm_user, vacancy=vacancy, second_vacancy=second,
                 other_vacancy=other, draft_vacancy=draft, full=full, gap=gap, course=course, hidden=hidden,
                 optout=optout)
