"""Writes one demo set in bulk: organisations with their staff, the demo accounts, vacancies and students.

Rows are built in memory and written with ``bulk_create`` in batches, so no per-row service, signal or
match recompute runs. Every generated row comes from a ``random.Random`` seeded with the run's seed and
the row's number, so the same seed gives the same data, and student 17 is the same student whether 400
or 100,000 are built.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from apps.accounts.models import AccountType, ApprovalStatus, Membership, MembershipRole, Organisation, User
from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill
from apps.talent.models import ProfileLanguage, ProfileSkill, StudentProfile

from . import organisations as orgdata
from .accounts import DEMO_ACCOUNTS, DEMO_DOMAIN, DEMO_FIRM_VACANCIES, DEMO_PASSWORD, DEMO_STUDENT
from .students import StudentMaker, StudentRow
from .taxonomy import DemoSeedError, Taxonomy
from .texts import firm_blurb, han_name
from .vacancies import VacancyMaker, VacancyRow

BATCH = 2000


class DemoBuilder:
    """Builds one demo set; call ``build_organisations``, ``build_vacancies`` and ``build_students`` in order."""

    def __init__(self, *, taxonomy: Taxonomy, seed: int, say: Callable[[str], None]):
        self.taxonomy = taxonomy
        self.seed = seed
        self.say = say
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.demo_hash = make_password(DEMO_PASSWORD)
        # One unusable hash shared by every generated account: hashing 100,000 passwords would take hours.
        self.unusable_hash = make_password(None)
        self.firms: list[dict] = []
        self.firm_weights: list[int] = []
        self.universities: dict[str, dict] = {}

    def rng(self, *parts) -> random.Random:
        """A generator for one row, so each row depends only on the seed and its own name or number."""
        return random.Random(":".join(str(part) for part in (self.seed, *parts)))

    # ------------------------------------------------------------------ organisations and staff
    def build_organisations(self, *, firms: int, universities: int) -> None:
        """Create the two bureaus, the universities and the firms, each with one staff member; and the admin."""
        specs = [*orgdata.GOVERNMENT, *self._university_specs(universities), *self._firm_specs(firms)]
        specs.append(orgdata.PENDING_FIRM)
        admin = next(account for account in DEMO_ACCOUNTS if account.role == "admin")
        admin_user = User(
            email=admin.email,
            full_name=admin.full_name,
            account_type=AccountType.ADMIN,
            is_staff=True,
            is_superuser=True,
            password=self.demo_hash,
            date_joined=self.now,
        )
        User.objects.bulk_create([admin_user])
        _require_ids([admin_user])
        taken = set(Organisation.objects.values_list("name", flat=True))
        organisations, staff = [], []
        for spec in specs:
            rng = self.rng("org", spec.slug)
            places = orgdata.LOCATIONS_BY_CATEGORY.get(spec.category if spec.kind == "firm" else "", ())
            places = [code for code in places if code in self.taxonomy.locations]
            # A real organisation may already use the name; the demo one steps aside.
            name = spec.name_zh if spec.name_zh not in taken else f"{spec.name_zh}（演示）"
            taken.add(name)
            approved = spec.status == ApprovalStatus.APPROVED
            organisations.append(
                Organisation(
                    kind=spec.kind,
                    name=name,
                    name_en=spec.name_en,
                    firm_category=spec.category,
                    location=spec.location or (rng.choice(places) if places else ""),
                    website=f"https://{spec.slug}.{DEMO_DOMAIN}/",
                    description=spec.description,
                    status=spec.status,
                    approved_at=self.now if approved else None,
                    approved_by=admin_user if approved else None,
                )
            )
            staff.append(self._staff_user(spec, rng))
        Organisation.objects.bulk_create(organisations, batch_size=BATCH)
        User.objects.bulk_create(staff, batch_size=BATCH)
        _require_ids(organisations + staff)
        Membership.objects.bulk_create(
            [
                Membership(user=user, organisation=org, role=MembershipRole.ADMIN)
                for user, org in zip(staff, organisations, strict=True)
            ],
            batch_size=BATCH,
        )
        for spec, org, user in zip(specs, organisations, staff, strict=True):
            blurb_zh, _, blurb_en = spec.description.partition("\n\n")
            entry = {
                "id": org.pk,
                "spec": spec,
                "name": (org.name, spec.name_en),
                "blurb": (blurb_zh, blurb_en),
                "location": org.location,
                "staff_id": user.pk,
            }
            if spec.kind == "university":
                self.universities[spec.slug] = entry
            elif spec.kind == "firm" and spec.status == ApprovalStatus.APPROVED:
                self.firms.append(entry)
                # Named firms post more than generated ones, the demo firm most of all.
                named = not spec.slug.startswith("firm-")
                self.firm_weights.append(4 if spec.slug == orgdata.DEMO_FIRM_SLUG else 3 if named else 1)
        self.say(
            f"Organisations: {len(organisations)} ({len(self.firms)} approved firms, "
            f"{len(self.universities)} universities/training providers)."
        )

    def _staff_user(self, spec: orgdata.OrgSpec, rng: random.Random) -> User:
        account = next((a for a in DEMO_ACCOUNTS if a.organisation == spec.slug), None)
        if account:
            return User(
                email=account.email,
                full_name=account.full_name,
                account_type=spec.kind,
                password=self.demo_hash,
                date_joined=self.now,
            )
        prefix = {"firm": "hr", "university": "career", "government": "office"}[spec.kind]
        return User(
            email=f"{prefix}.{spec.slug}@{DEMO_DOMAIN}",
            full_name=han_name(rng),
            account_type=spec.kind,
            password=self.unusable_hash,
            date_joined=self.now,
        )

    def _university_specs(self, count: int) -> list[orgdata.OrgSpec]:
        specs = list(orgdata.UNIVERSITIES[:count])
        places, kinds = orgdata.UNIVERSITY_PLACES, orgdata.UNIVERSITY_KINDS
        for number in range(count - len(specs)):
            (place_zh, place_en), (kind_zh, kind_en) = places[number % len(places)], kinds[number // len(places) % 3]
            campus = number // (len(places) * len(kinds))
            suffix_zh, suffix_en = (f"（第{campus + 1}校区）", f" (Campus {campus + 1})") if campus else ("", "")
            specs.append(
                orgdata.OrgSpec(
                    slug=f"uni-{number + 1:04d}",
                    name_zh=f"{place_zh}{kind_zh}{suffix_zh}",
                    name_en=f"{place_en} {kind_en}{suffix_en}",
                    kind="university",
                    description=f"{place_zh}的职业院校，开设电子商务和跨境电商课程。\n\n"
                    f"A vocational school in {place_en} teaching e-commerce and cross-border e-commerce.",
                )
            )
        return specs

    def _firm_specs(self, count: int) -> list[orgdata.OrgSpec]:
        specs = list(orgdata.NAMED_FIRMS[:count])
        combos = [(p, t, f) for p in orgdata.FIRM_PREFIXES for t in orgdata.FIRM_TRADES for f in orgdata.FIRM_FORMS]
        self.rng("firm-names").shuffle(combos)
        for number in range(count - len(specs)):
            (p_zh, p_en), (t_zh, t_en, category), (f_zh, f_en) = combos[number % len(combos)]
            branch = number // len(combos)
            suffix_zh, suffix_en = (f"（{branch + 1}分公司）", f" (Branch {branch + 1})") if branch else ("", "")
            blurb_zh, blurb_en = firm_blurb(category, t_zh, t_en)
            specs.append(
                orgdata.OrgSpec(
                    slug=f"firm-{number + 1:05d}",
                    name_zh=f"{p_zh}{t_zh}{f_zh}{suffix_zh}",
                    name_en=f"{p_en} {t_en} {f_en}{suffix_en}",
                    kind="firm",
                    category=category,
                    hires=orgdata.HIRES_BY_CATEGORY[category],
                    description=f"{blurb_zh}\n\n{blurb_en}",
                )
            )
        return specs

    # ------------------------------------------------------------------ vacancies
    def build_vacancies(self, *, count: int) -> None:
        """Create ``count`` vacancies: the demo firm's hand-made ones first, then generated ones."""
        maker = VacancyMaker(taxonomy=self.taxonomy, today=self.today, now=self.now)
        demo_firm = next(firm for firm in self.firms if firm["spec"].slug == orgdata.DEMO_FIRM_SLUG)
        cumulative = list(accumulate(self.firm_weights))
        batch: list[VacancyRow] = []
        for number in range(count):
            rng = self.rng("vacancy", number)
            if number < len(DEMO_FIRM_VACANCIES):
                batch.append(maker.demo(number, demo_firm, rng))
            else:
                batch.append(maker.generated(number, rng.choices(self.firms, cum_weights=cumulative)[0], rng))
            if len(batch) >= BATCH:
                self._write_vacancies(batch)
        self._write_vacancies(batch)
        self.say(f"Vacancies: {count}.")

    @staticmethod
    def _write_vacancies(batch: list[VacancyRow]) -> None:
        if not batch:
            return
        vacancies = [row.vacancy for row in batch]
        Vacancy.objects.bulk_create(vacancies, batch_size=BATCH)
        _require_ids(vacancies)
        skills, languages = [], []
        for row in batch:
            for requirement in row.skills:
                requirement.vacancy_id = row.vacancy.pk
                skills.append(requirement)
            for requirement in row.languages:
                requirement.vacancy_id = row.vacancy.pk
                languages.append(requirement)
        VacancySkill.objects.bulk_create(skills, batch_size=BATCH * 2)
        VacancyLanguage.objects.bulk_create(languages, batch_size=BATCH * 2)
        batch.clear()

    # ------------------------------------------------------------------ students
    def build_students(self, *, count: int) -> None:
        """Create ``count`` students, the demo student first, in batches of users, profiles, skills, languages."""
        maker = StudentMaker(taxonomy=self.taxonomy, universities=self.universities, today=self.today, now=self.now)
        account = next(account for account in DEMO_ACCOUNTS if account.role == "student")
        batch: list[StudentRow] = []
        for number in range(count):
            if number == 0:
                row = maker.demo(
                    DEMO_STUDENT, email=account.email, full_name=account.full_name, password=self.demo_hash
                )
            else:
                row = maker.generated(number, self.rng("student", number), password=self.unusable_hash)
            batch.append(row)
            if len(batch) >= BATCH:
                self._write_students(batch)
            if number and number % 20000 == 0:
                self.say(f"Students: {number} ...")
        self._write_students(batch)
        self.say(f"Students: {count}.")

    @staticmethod
    def _write_students(batch: list[StudentRow]) -> None:
        if not batch:
            return
        users = [row.user for row in batch]
        User.objects.bulk_create(users, batch_size=BATCH)
        _require_ids(users)
        for row in batch:
            row.profile.user_id = row.user.pk
        profiles = [row.profile for row in batch]
        StudentProfile.objects.bulk_create(profiles, batch_size=BATCH)
        _require_ids(profiles)
        skills, languages = [], []
        for row in batch:
            for skill in row.skills:
                skill.profile_id = row.profile.pk
                skills.append(skill)
            for language in row.languages:
                language.profile_id = row.profile.pk
                languages.append(language)
        ProfileSkill.objects.bulk_create(skills, batch_size=BATCH * 2)
        ProfileLanguage.objects.bulk_create(languages, batch_size=BATCH * 2)
        batch.clear()


def _require_ids(objs) -> None:
    """bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35; the builder needs them for child rows."""
    if any(obj.pk is None for obj in objs):
        raise DemoSeedError("The database did not return ids from a bulk insert: use PostgreSQL or SQLite 3.35+.")
