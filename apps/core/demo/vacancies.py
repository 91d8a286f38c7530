"""Generated vacancies: a Vacancy with its skill and language requirements, built in memory from an archetype.

Levels follow the archetype, moved by the title's seniority and a little noise; internships ask one
level less. Most vacancies are open (deadline ahead), some closed (deadline passed), a few drafts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from apps.jobs.models import Vacancy, VacancyLanguage, VacancySkill, VacancyStatus

from .accounts import DEMO_FIRM_VACANCIES, EXTERNAL_PREFIX
from .archetypes import ARCHETYPES, Archetype
from .taxonomy import Taxonomy
from .texts import vacancy_description

INTERNSHIP_PAY = (2500, 4000)


@dataclass
class VacancyRow:
    """One vacancy's unsaved rows; the builder sets ``vacancy_id`` on the requirements after the insert."""

    vacancy: Vacancy
    skills: list[VacancySkill] = field(default_factory=list)
    languages: list[VacancyLanguage] = field(default_factory=list)


def _clamp(value: int, low: int, high: int) -> int:
    return low if value < low else high if value > high else value


class VacancyMaker:
    """Makes VacancyRows for firms (dicts the builder keeps: id, spec, names, blurb, location, staff id)."""

    def __init__(self, *, taxonomy: Taxonomy, today: date, now: datetime):
        self.taxonomy = taxonomy
        self.today = today
        self.now = now
        self.locations = sorted(taxonomy.locations)

    def demo(self, number: int, firm: dict, rng: random.Random) -> VacancyRow:
        """The demo firm's hand-made vacancy ``number`` from ``accounts.DEMO_FIRM_VACANCIES``."""
        spec = DEMO_FIRM_VACANCIES[number]
        skills = [(code, level, weight, True) for code, (level, weight) in spec["required"].items()]
        skills += [(code, level, weight, False) for code, (level, weight) in spec["optional"].items()]
        return self._row(
            number=number,
            firm=firm,
            rng=rng,
            archetype=ARCHETYPES[spec["archetype"]],
            title=spec["title"],
            skills=skills,
            languages=list(spec["languages"].items()),
            markets=spec["markets"],
            job_type=spec["job_type"],
            salary=spec["salary"],
            openings=spec["openings"],
            status=VacancyStatus.OPEN,
            location=firm["location"],
            remote=False,
        )

    def generated(self, number: int, firm: dict, rng: random.Random) -> VacancyRow:
        """A vacancy of one of the archetypes ``firm`` hires for, drawn from ``rng``."""
        archetype = ARCHETYPES[rng.choice(firm["spec"].hires)]
        title_zh, title_en, seniority = rng.choice(archetype.titles)
        roll = rng.random()
        if roll < archetype.internship_share:
            job_type, seniority = "internship", -1
            title_zh, title_en = f"{title_zh}（实习）", f"{title_en} (Intern)"
        elif roll < archetype.internship_share + archetype.part_time_share:
            job_type = "part_time"
            title_zh, title_en = f"{title_zh}（兼职）", f"{title_en} (Part-time)"
        else:
            job_type = "full_time"
        more = rng.sample(archetype.more, k=min(len(archetype.more), rng.choice((1, 1, 2))))
        optional = rng.sample(archetype.optional, k=min(len(archetype.optional), rng.randint(2, 4)))
        skills = []
        for required, group in ((True, archetype.core + tuple(more)), (False, optional)):
            for code, level, weight in group:
                level = _clamp(level + seniority + rng.choices((-1, 0, 1), weights=(2, 6, 2))[0], 1, 5)
                weight = _clamp(round(weight * rng.uniform(0.8, 1.2) * 10), 1, 100) / 10
                skills.append((code, level, weight, required))
        languages = [(code, _clamp(cefr + max(seniority, 0), 1, 6)) for code, cefr in archetype.languages]
        markets = [m for m in archetype.markets if m in self.taxonomy.markets]
        markets = rng.sample(markets, k=min(len(markets), rng.randint(1, 3)))
        if job_type == "internship":
            salary = INTERNSHIP_PAY
        else:
            factor = (1 + 0.3 * seniority) * rng.uniform(0.9, 1.1) * (0.6 if job_type == "part_time" else 1.0)
            low, high = (int(pay * factor) // 500 * 500 for pay in archetype.salary)
            salary = (low, max(low, high))
        roll = rng.random()
        status = VacancyStatus.OPEN if roll < 0.85 else VacancyStatus.CLOSED if roll < 0.93 else VacancyStatus.DRAFT
        location = firm["location"]
        if self.locations and rng.random() < 0.2:
            location = rng.choice(self.locations)
        openings = rng.choice((2, 3, 5, 8)) if job_type == "internship" else rng.choice((1, 1, 1, 2, 2, 3, 5))
        return self._row(
            number=number,
            firm=firm,
            rng=rng,
            archetype=archetype,
            title=(title_zh, title_en),
            skills=skills,
            languages=languages,
            markets=markets,
            job_type=job_type,
            salary=salary,
            openings=openings,
            status=status,
            location=location,
            remote=rng.random() < archetype.remote_share,
        )

    def _row(
        self,
        *,
        number: int,
        firm: dict,
        rng: random.Random,
        archetype: Archetype,
        title: tuple[str, str],
        skills: list,
        languages: list,
        markets: list,
        job_type: str,
        salary: tuple[int, int],
        openings: int,
        status: str,
        location: str,
        remote: bool,
    ) -> VacancyRow:
        tax = self.taxonomy
        skills = [s for s in skills if tax.has(s[0])]
        languages = [lang for lang in languages if tax.has(lang[0])]
        description = vacancy_description(
            firm=firm["name"],
            blurb=firm["blurb"],
            title=title,
            duties=rng.sample(archetype.duties, k=min(3, len(archetype.duties))),
            required=[tax.labels[s[0]] for s in skills if s[3]],
            optional=[tax.labels[s[0]] for s in skills if not s[3]],
            languages=[(*tax.labels[code], cefr) for code, cefr in languages],
            markets=[tax.markets[m] for m in markets if m in tax.markets],
            location=tax.location(location),
            remote=remote,
            job_type=job_type,
        )
        deadline, published = None, None
        if status == VacancyStatus.OPEN:
            deadline, published = self.today + timedelta(days=rng.randint(14, 90)), rng.randint(1, 40)
        elif status == VacancyStatus.CLOSED:
            deadline, published = self.today - timedelta(days=rng.randint(3, 60)), rng.randint(61, 150)
        vacancy = Vacancy(
            firm_id=firm["id"],
            external_id=f"{EXTERNAL_PREFIX}v{number:06d}",
            title=f"{title[0]} / {title[1]}"[:200],
            description=description,
            location=location,
            remote=remote,
            job_type=job_type,
            openings=openings,
            salary_min=salary[0],
            salary_max=salary[1],
            markets=list(markets),
            deadline=deadline,
            status=status,
            published_at=self.now - timedelta(days=published) if published else None,
            created_by_id=firm["staff_id"],
        )
        ids = tax.ids
        return VacancyRow(
            vacancy=vacancy,
            skills=[
                VacancySkill(skill_id=ids[code], min_level=level, weight=weight, required=required)
                for code, level, weight, required in skills
            ],
            languages=[VacancyLanguage(language_id=ids[code], min_cefr=cefr) for code, cefr in languages],
        )
