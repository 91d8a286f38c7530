"""Generated students and trainees: one user, profile, skills and languages per row, built in memory.

A student's skills come from their major (most of what it teaches, at levels that grow towards
graduation) plus a few electives and general skills; English is mostly B1-B2, with Spanish, Arabic,
Japanese and others for language majors and a few others. About one in ten keeps the profile hidden or
opts out of matching; of the rest, about four in ten share their contact details with firms.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from apps.accounts.models import AccountType, User
from apps.talent.models import ProfileLanguage, ProfileSkill, SkillSourceKind, StudentProfile, Visibility

from .accounts import DEMO_DOMAIN, EXTERNAL_PREFIX
from .majors import EXTRA_LANGUAGES, GENERAL_SKILLS, MAJORS, MAJORS_BY_CODE, Major
from .people import HOME_CITIES
from .texts import han_name, student_bio

# English CEFR by the major's typical level: (level, weight) pairs; "mostly B1-B2".
ENGLISH_LEVELS = {
    2: ((1, 5), (2, 35), (3, 45), (4, 15)),
    3: ((2, 12), (3, 48), (4, 32), (5, 8)),
    4: ((3, 12), (4, 55), (5, 28), (6, 5)),
}
LANGUAGE_MARKETS = {
    "lang.es": ("south_america", "mexico_central_america"),
    "lang.pt": ("south_america",),
    "lang.ar": ("middle_east",),
    "lang.ru": ("russia_central_asia",),
    "lang.ja": ("japan",),
    "lang.ko": ("south_korea",),
    "lang.de": ("germany", "european_union"),
    "lang.fr": ("european_union", "africa"),
    "lang.th": ("southeast_asia",),
    "lang.vi": ("southeast_asia",),
    "lang.id": ("southeast_asia",),
    "lang.ms": ("southeast_asia",),
}
GRADUATION_OFFSETS = ((-1, 1), (0, 4), (1, 3), (2, 2), (3, 1))  # years from now, weight
_MAJOR_CUM = list(accumulate(major.weight for major in MAJORS))
_CITY_NAMES = [name for name, _ in HOME_CITIES]
_CITY_CUM = list(accumulate(weight for _, weight in HOME_CITIES))


@dataclass
class StudentRow:
    """One student's unsaved rows; the builder fills in ids after each bulk insert."""

    user: User
    profile: StudentProfile
    skills: list[ProfileSkill] = field(default_factory=list)
    languages: list[ProfileLanguage] = field(default_factory=list)


def _clamp(value: int, low: int, high: int) -> int:
    return low if value < low else high if value > high else value


class StudentMaker:
    """Makes StudentRows from a per-student random generator and the taxonomy snapshot."""

    def __init__(self, *, taxonomy, universities: dict[str, dict], today: date, now: datetime):
        self.taxonomy = taxonomy
        self.universities = universities
        self.today = today
        self.now = now
        self.year = today.year
        # Institutions that teach each major; the demo university takes a double share of its majors.
        self.campuses: dict[str, tuple[list[dict], list[int]]] = {}
        for major in MAJORS:
            offered = [u for slug, u in universities.items() if not major.universities or slug in major.universities]
            if not offered:
                offered = [u for slug, u in universities.items() if slug != "training-centre"] or list(
                    universities.values()
                )
            weights = [2 if u["spec"].slug == "guicheng-tech" else 1 for u in offered]
            self.campuses[major.code] = (offered, list(accumulate(weights)))
        self.locations = sorted(taxonomy.locations)
        self.markets = sorted(taxonomy.markets)

    def generated(self, number: int, rng: random.Random, *, password: str) -> StudentRow:
        """Student ``number`` (1-based after the demo student): everything drawn from ``rng``."""
        major = rng.choices(MAJORS, cum_weights=_MAJOR_CUM)[0]
        offered, cum = self.campuses[major.code]
        university = rng.choices(offered, cum_weights=cum)[0]
        if major.trainee:
            graduation_year, years_left = self.year - rng.randint(4, 18), -5
        else:
            offset = rng.choices([o for o, _ in GRADUATION_OFFSETS], weights=[w for _, w in GRADUATION_OFFSETS])[0]
            graduation_year, years_left = self.year + offset, offset
        maturity = 0.5 if years_left <= 0 else 0.0 if years_left == 1 else -0.4 if years_left == 2 else -0.8
        skills = [s for s in self._skills(major, rng, maturity) if self.taxonomy.has(s[0])]
        languages = self._languages(major, rng, years_left)
        user = User(
            email=f"s{number:06d}@{DEMO_DOMAIN}",
            full_name=han_name(rng),
            account_type=AccountType.STUDENT,
            password=password,
            preferred_language="en" if rng.random() < 0.08 else "zh-hans",
            phone=(
                f"+86 1{rng.choice('35789')}{rng.randint(0, 9)} {rng.randint(0, 9999):04d} {rng.randint(0, 9999):04d}"
            )
            if rng.random() < 0.8
            else "",
            date_joined=self.now - timedelta(days=rng.randint(0, 400)),
        )
        roll = rng.random()
        visibility = Visibility.HIDDEN if roll < 0.06 else Visibility.FIRMS
        opt_in = not (0.06 <= roll < 0.10)
        contact = visibility == Visibility.FIRMS and opt_in and rng.random() < 0.4
        if years_left >= 1:
            job_types = ["internship"] + (["part_time"] if rng.random() < 0.3 else [])
        else:
            job_types = (
                ["full_time"]
                + (["internship"] if rng.random() < 0.2 and not major.trainee else [])
                + (["part_time"] if major.trainee and rng.random() < 0.3 else [])
            )
        preferred_markets = [
            m for code, _ in languages for m in LANGUAGE_MARKETS.get(code, ()) if m in self.taxonomy.markets
        ]
        if self.markets and rng.random() < 0.6:
            preferred_markets += rng.sample(self.markets, k=rng.randint(1, 2))
        specific = [s for s in skills if s[0] not in GENERAL_SKILLS] or skills
        strengths = [self.taxonomy.labels[s[0]] for s in sorted(specific, key=lambda s: -s[1])[:2]]
        profile = StudentProfile(
            external_id=f"{EXTERNAL_PREFIX}s{number:06d}",
            university_id=university["id"],
            school=major.school,
            major=major.zh,
            graduation_year=graduation_year,
            city=rng.choices(_CITY_NAMES, cum_weights=_CITY_CUM)[0],
            bio=student_bio(
                major=(major.zh, major.en),
                graduation_year=graduation_year,
                this_year=self.year,
                strengths=strengths,
                trainee_years=self.year - graduation_year if major.trainee else 0,
            ),
            pref_locations=rng.sample(self.locations, k=min(len(self.locations), rng.randint(1, 3))),
            remote_ok=rng.random() < 0.6,
            pref_job_types=job_types,
            pref_markets=list(dict.fromkeys(preferred_markets))[:4],
            visibility=visibility,
            matching_opt_in=opt_in,
            contact_visible_to_firms=contact,
        )
        return self._row(user, profile, skills, languages, major)

    def demo(self, spec: dict, *, email: str, full_name: str, password: str) -> StudentRow:
        """The documented demo student, exactly as ``accounts.DEMO_STUDENT`` describes."""
        major = MAJORS_BY_CODE[spec["major"]]
        university = self.universities.get(spec["university"]) or next(iter(self.universities.values()))
        skills = [
            (code, level, "course" if code in spec["course_skills"] else "self")
            for code, level in spec["skills"].items()
        ]
        languages = list(spec["languages"].items())
        user = User(
            email=email,
            full_name=full_name,
            account_type=AccountType.STUDENT,
            password=password,
            phone=spec["phone"],
            date_joined=self.now,
        )
        profile = StudentProfile(
            external_id=f"{EXTERNAL_PREFIX}s{0:06d}",
            university_id=university["id"],
            school=major.school,
            major=major.zh,
            graduation_year=self.year + spec["graduation_offset"],
            city=spec["city"],
            bio=spec["bio"],
            pref_locations=[c for c in spec["pref_locations"] if c in self.taxonomy.locations],
            pref_job_types=spec["pref_job_types"],
            remote_ok=True,
            pref_markets=[m for m in spec["pref_markets"] if m in self.taxonomy.markets],
            visibility=Visibility.FIRMS,
            matching_opt_in=True,
            contact_visible_to_firms=True,
        )
        return self._row(user, profile, skills, languages, major)

    def _row(self, user, profile, skills, languages, major: Major) -> StudentRow:
        ids = self.taxonomy.ids
        row = StudentRow(user=user, profile=profile)
        for code, level, source in skills:
            if self.taxonomy.has(code):
                evidence = f"{major.zh}专业课程 / {major.en} coursework" if source == "course" else ""
                row.skills.append(ProfileSkill(skill_id=ids[code], level=level, source=source, evidence=evidence))
        for code, cefr in languages:
            if self.taxonomy.has(code):
                row.languages.append(ProfileLanguage(language_id=ids[code], cefr=cefr))
        return row

    def _skills(self, major: Major, rng: random.Random, maturity: float) -> list[tuple[str, int, str]]:
        step = 1 if maturity > 0 else -1
        # "Expert" is for working trainees and the odd exceptional student.
        top = 5 if major.trainee or rng.random() < 0.03 else 4
        chosen: dict[str, tuple[int, str]] = {}
        for code, base in major.core:
            if rng.random() < 0.8:
                level = base + rng.choices((-1, 0, 1), weights=(2, 5, 2))[0]
                if rng.random() < abs(maturity):
                    level += step
                source = SkillSourceKind.COURSE if rng.random() < 0.5 else SkillSourceKind.SELF
                chosen[code] = (_clamp(level, 1, top), source)
        for code in rng.sample(major.electives, k=min(len(major.electives), rng.choice((0, 1, 1, 2, 2, 3, 4)))):
            if code not in chosen:
                level = rng.choice((1, 2, 2, 3, 3, 4)) + (step if rng.random() < abs(maturity) else 0)
                source = SkillSourceKind.FIRM if rng.random() < 0.08 else SkillSourceKind.SELF
                chosen[code] = (_clamp(level, 1, top), source)
        for code in rng.sample(GENERAL_SKILLS, k=rng.randint(1, 3)):
            chosen.setdefault(code, (rng.choice((2, 3, 3, 4)), SkillSourceKind.SELF))
        return [(code, level, source) for code, (level, source) in chosen.items()]

    def _languages(self, major: Major, rng: random.Random, years_left: int) -> list[tuple[str, int]]:
        levels = ENGLISH_LEVELS[major.english]
        chosen = {"lang.en": rng.choices([lvl for lvl, _ in levels], weights=[w for _, w in levels])[0]}
        for code, share, base in major.languages + EXTRA_LANGUAGES:
            if code not in chosen and rng.random() < share:
                level = base + rng.choices((-1, 0, 1), weights=(1, 2, 1))[0] - (1 if years_left >= 2 else 0)
                chosen[code] = _clamp(level, 1, 6)
        return list(chosen.items())
