"""``manage.py seed_demo``: deterministic, bilingual, idempotent demo data with working demo sign-ins."""

import json
import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction

from apps.accounts.models import ApprovalStatus, Membership, Organisation
from apps.core.demo.accounts import DEMO_ACCOUNTS, DEMO_FIRM_VACANCIES, DEMO_PASSWORD
from apps.core.demo.archetypes import ARCHETYPES
from apps.core.demo.majors import EXTRA_LANGUAGES, GENERAL_SKILLS, MAJORS
from apps.core.demo.services import demo_counts, demo_organisations, demo_seed, demo_users
from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill
from apps.skills.services import SHIPPED_TAXONOMY
from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile

pytestmark = pytest.mark.django_db

SMALL = {"students": 40, "vacancies": 16, "rematch": False}
HAN_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3,}")


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    """Hashing cost is configuration, not behaviour: a cheap hasher keeps these tests quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _Rollback(Exception):
    pass


def snapshot() -> dict:
    """The demo set's key data by natural keys (no database ids), for comparing runs."""
    vacancy_skills = {}
    for ext, code, level, weight, required in VacancySkill.objects.filter(
        vacancy__firm__in=demo_organisations()
    ).values_list("vacancy__external_id", "skill__code", "min_level", "weight", "required"):
        vacancy_skills.setdefault(ext, []).append((code, level, weight, required))
    profile_skills = {}
    for ext, code, level, source in ProfileSkill.objects.filter(profile__user__in=demo_users()).values_list(
        "profile__external_id", "skill__code", "level", "source"
    ):
        profile_skills.setdefault(ext, []).append((code, level, source))
    profile_languages = {}
    for ext, code, cefr in ProfileLanguage.objects.filter(profile__user__in=demo_users()).values_list(
        "profile__external_id", "language__code", "cefr"
    ):
        profile_languages.setdefault(ext, []).append((code, cefr))
    return {
        "users": sorted(demo_users().values_list("email", "full_name", "account_type", "phone")),
        "organisations": sorted(demo_organisations().values_list("name", "name_en", "kind", "status", "location")),
        "vacancies": sorted(
            Vacancy.objects.filter(firm__in=demo_organisations()).values_list(
                "external_id",
                "firm__name",
                "title",
                "description",
                "location",
                "job_type",
                "openings",
                "salary_min",
                "salary_max",
                "markets",
                "status",
                "deadline",
            )
        ),
        "profiles": sorted(
            StudentProfile.objects.filter(user__in=demo_users()).values_list(
                "external_id",
                "user__email",
                "university__name",
                "major",
                "graduation_year",
                "city",
                "bio",
                "pref_locations",
                "pref_markets",
                "visibility",
                "matching_opt_in",
                "contact_visible_to_firms",
            )
        ),
        "vacancy_skills": {k: sorted(v) for k, v in vacancy_skills.items()},
        "profile_skills": {k: sorted(v) for k, v in profile_skills.items()},
        "profile_languages": {k: sorted(v) for k, v in profile_languages.items()},
    }


def seeded_snapshot(**options) -> dict:
    """Seed into an otherwise untouched database, take a snapshot, and roll everything back."""
    taken = {}
    try:
        with transaction.atomic():
            demo_seed(**{**SMALL, **options})
            taken.update(snapshot())
            raise _Rollback
    except _Rollback:
        pass
    assert not demo_users().exists()
    return taken


def test_same_seed_gives_identical_data_and_another_seed_differs():
    first = seeded_snapshot(seed=7)
    second = seeded_snapshot(seed=7)
    other = seeded_snapshot(seed=8)
    assert first == second
    assert len(first["profiles"]) == SMALL["students"]
    assert first["profiles"] != other["profiles"]
    assert first["vacancies"] != other["vacancies"]
    # The documented accounts and the demo firm's own vacancies do not depend on the seed.
    demo_emails = {account.email for account in DEMO_ACCOUNTS}
    assert demo_emails <= {row[0] for row in other["users"]}
    assert first["vacancy_skills"]["demo-v000000"] == other["vacancy_skills"]["demo-v000000"]


def test_a_student_is_the_same_whatever_the_size_of_the_set():
    small = seeded_snapshot(students=10, vacancies=5)
    large = seeded_snapshot(students=25, vacancies=5)
    student = "demo-s000007"
    assert [p for p in small["profiles"] if p[0] == student] == [p for p in large["profiles"] if p[0] == student]
    assert small["profile_skills"][student] == large["profile_skills"][student]


def test_counts_honour_the_flags():
    out = StringIO()
    call_command("seed_demo", students=30, vacancies=12, firms=5, universities=3, no_rematch=True, stdout=out)
    counts = demo_counts()
    assert counts["student profiles"] == 30
    assert counts["vacancies"] == 12
    assert counts["firms (approved)"] == 5
    assert counts["firms (pending approval)"] == 1
    assert counts["universities / training providers"] == 3
    assert counts["government agencies"] == 2
    assert counts["profile skills"] >= 30 * 3
    assert "student profiles" in out.getvalue() and "Demo data built in" in out.getvalue()


def test_beyond_the_named_lists_generated_organisations_have_unique_bilingual_names():
    demo_seed(students=12, vacancies=40, firms=40, universities=12, rematch=False)
    firms = demo_organisations().filter(kind="firm", status=ApprovalStatus.APPROVED)
    universities = demo_organisations().filter(kind="university")
    assert firms.count() == 40 and universities.count() == 12
    for name, name_en in demo_organisations().values_list("name", "name_en"):
        assert CJK.search(name) and LATIN.search(name_en), (name, name_en)
    # Every approved firm may post: generated firms carry hiring archetypes too.
    assert Vacancy.objects.filter(firm__in=firms).values("firm").distinct().count() > 5


def test_every_demo_account_signs_in_with_the_documented_password(client):
    demo_seed(**SMALL)
    for account in DEMO_ACCOUNTS:
        assert client.login(username=account.email, password=DEMO_PASSWORD), account.email
        client.logout()
    generated = demo_users().exclude(email__in=[a.email for a in DEMO_ACCOUNTS])
    assert generated.count() > SMALL["students"]
    assert not any(user.has_usable_password() for user in generated)


def test_demo_accounts_have_their_roles_and_organisations():
    demo_seed(**SMALL)
    User = get_user_model()
    by_role = {
        account.role + ("-pending" if "pending" in account.email else ""): User.objects.get(email=account.email)
        for account in DEMO_ACCOUNTS
    }

    student = by_role["student"]
    assert student.account_type == "student" and student.profile.skills.count() >= 8
    assert student.profile.languages.filter(language__code="lang.en", cefr=4).exists()

    firm_user = by_role["firm"]
    firm = Membership.objects.get(user=firm_user, role="admin").organisation
    assert (firm.name, firm.name_en, firm.status) == ("精华纺织", "Jinghua Textiles", ApprovalStatus.APPROVED)
    assert Vacancy.objects.open().filter(firm=firm).count() >= len(DEMO_FIRM_VACANCIES)

    university_user = by_role["university"]
    university = university_user.primary_organisation
    assert university.kind == "university" and university.is_approved
    visible = StudentProfile.objects.for_user(university_user)
    assert visible.count() > 1 and visible.filter(user=student).exists()

    government = by_role["government"].primary_organisation
    assert (government.kind, government.name, government.is_approved) == ("government", "市商务局", True)
    assert Organisation.objects.filter(kind="government", name__contains="人社局").exists()

    admin = by_role["admin"]
    assert admin.is_staff and admin.is_superuser and admin.is_platform_admin

    pending = by_role["firm-pending"].primary_organisation
    assert pending.kind == "firm" and pending.status == ApprovalStatus.PENDING
    assert not Vacancy.objects.open().filter(firm=pending).exists()


def test_demo_student_fits_one_demo_vacancy_and_lacks_a_skill_or_two_for_others():
    demo_seed(**SMALL)
    profile = StudentProfile.objects.get(user__email=DEMO_ACCOUNTS[0].email)
    held = dict(profile.skills.values_list("skill__code", "level"))
    gaps = []
    for number in range(len(DEMO_FIRM_VACANCIES)):
        vacancy = Vacancy.objects.get(external_id=f"demo-v{number:06d}")
        required = vacancy.skills.filter(required=True).values_list("skill__code", "min_level")
        gaps.append([code for code, level in required if held.get(code, 0) < level])
    assert gaps[0] == []
    assert any(1 <= len(gap) <= 2 for gap in gaps[1:])


def test_requirements_use_only_taxonomy_skills_at_valid_levels_and_weights():
    summary = demo_seed(**SMALL)
    assert summary.unknown_skills == []
    shipped = json.loads(SHIPPED_TAXONOMY.read_text(encoding="utf-8"))
    codes = {skill["code"] for skill in shipped["skills"]}
    languages = {skill["code"] for skill in shipped["skills"] if skill["category"] == "language"}
    # The data lists themselves only name shipped skills.
    listed = {code for a in ARCHETYPES.values() for code, _, _ in a.core + a.more + a.optional}
    listed |= {code for m in MAJORS for code, _ in m.core} | {code for m in MAJORS for code in m.electives}
    listed |= set(GENERAL_SKILLS)
    assert listed <= codes - languages, sorted(listed - codes)
    spoken = {code for a in ARCHETYPES.values() for code, _ in a.languages}
    spoken |= {code for m in MAJORS for code, _, _ in m.languages} | {code for code, _, _ in EXTRA_LANGUAGES}
    assert spoken <= languages

    requirements = VacancySkill.objects.filter(vacancy__firm__in=demo_organisations())
    assert requirements.exists()
    for code, level, weight in requirements.values_list("skill__code", "min_level", "weight"):
        assert code in codes and code not in languages
        assert level in range(1, 6), level
        assert 0 < weight <= 10, weight
    for code, cefr in VacancyLanguage.objects.values_list("language__code", "min_cefr"):
        assert code in languages and 1 <= cefr <= 6
    for vacancy in Vacancy.objects.filter(firm__in=demo_organisations()):
        assert vacancy.skills.filter(required=True).exists()
        assert vacancy.salary_min <= vacancy.salary_max and vacancy.openings >= 1
        assert vacancy.job_type in {"full_time", "part_time", "internship"}
    for level, code in ProfileSkill.objects.values_list("level", "skill__code"):
        assert level in range(1, 6), level
        assert code in codes, code
    assert set(ProfileLanguage.objects.values_list("language__code", flat=True)) <= languages


def test_running_twice_does_not_duplicate_and_reset_rebuilds():
    demo_seed(**SMALL)
    before = demo_counts()
    out = StringIO()
    call_command("seed_demo", students=40, vacancies=16, no_rematch=True, stdout=out)
    assert "already present" in out.getvalue()
    assert demo_counts() == before
    call_command("seed_demo", students=40, vacancies=16, no_rematch=True, reset=True, stdout=StringIO())
    assert demo_counts() == before
    assert get_user_model().objects.filter(email=DEMO_ACCOUNTS[0].email).count() == 1


def test_reset_leaves_other_data_alone(firm_user, student):
    demo_seed(**SMALL)
    # A real student who picked a demo university keeps the profile; only the link goes.
    StudentProfile.objects.filter(user=student).update(university=demo_organisations().filter(kind="university")[0])
    call_command("seed_demo", students=20, vacancies=8, no_rematch=True, reset=True, stdout=StringIO())
    assert demo_counts()["student profiles"] == 20
    assert get_user_model().objects.filter(pk__in=[firm_user.pk, student.pk]).count() == 2
    assert Organisation.objects.filter(memberships__user=firm_user).exists()
    assert StudentProfile.objects.get(user=student).university is None


def test_titles_descriptions_and_bios_are_bilingual():
    demo_seed(**SMALL)
    for title, description in Vacancy.objects.filter(firm__in=demo_organisations()).values_list(
        "title", "description"
    ):
        chinese, _, english = title.partition(" / ")
        assert CJK.search(chinese) and LATIN.search(english) and not CJK.search(english), title
        assert "岗位职责" in description and "What you will do" in description
    for bio in StudentProfile.objects.values_list("bio", flat=True):
        chinese, _, english = bio.partition("\n\n")
        assert CJK.search(chinese) and LATIN.search(english)


def test_students_look_like_a_real_cohort():
    demo_seed(students=300, vacancies=8, rematch=False)
    profiles = StudentProfile.objects.filter(user__in=demo_users())
    names = list(profiles.values_list("user__full_name", flat=True))
    assert all(HAN_NAME.match(name) for name in names)
    assert len(set(names)) > 200
    english = list(ProfileLanguage.objects.filter(language__code="lang.en").values_list("cefr", flat=True))
    assert len(english) == 300
    assert sum(level in (3, 4) for level in english) / len(english) > 0.6  # mostly B1-B2
    others = set(ProfileLanguage.objects.exclude(language__code="lang.en").values_list("language__code", flat=True))
    assert {"lang.es", "lang.ja"} <= others
    assert len(set(profiles.values_list("major", flat=True))) >= 10
    shared = profiles.filter(visibility="firms", matching_opt_in=True, contact_visible_to_firms=True).count()
    private = profiles.filter(visibility="firms", matching_opt_in=True, contact_visible_to_firms=False).count()
    opted_out = profiles.exclude(visibility="firms", matching_opt_in=True).count()
    assert shared > 50 and private > 100 and 5 <= opted_out <= 60


def test_seeding_ends_with_one_full_rematch_and_a_first_report():
    from apps.matching.models import CandidateMatch, MatchState
    from apps.reports.models import ReportSnapshot, current_period

    summary = demo_seed(students=12, vacancies=6, rematch=True)
    assert summary.rematch.startswith("done in-process"), summary.rematch
    # the government account opens on this month's city-wide report, built from the demo's matches
    report = ReportSnapshot.objects.get()
    assert report.status == "done" and report.period == current_period() and report.filters == {
        "district": "", "programme": "", "market": ""}
    stored = CandidateMatch.objects.filter(generation=MatchState.get().current_generation).count()
    assert stored > 0 and sum(b["candidates"] for b in report.data["funnel"]["score_histogram"]) <= stored


def test_bad_flags_are_refused_with_the_flag_named():
    with pytest.raises(CommandError, match="--students"):
        call_command("seed_demo", students=0, no_rematch=True, stdout=StringIO())
    assert not demo_users().exists()


def test_command_prints_the_demo_sign_ins():
    out = StringIO()
    call_command("seed_demo", students=5, vacancies=4, no_rematch=True, stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text
    for account in DEMO_ACCOUNTS:
        assert account.email in text
