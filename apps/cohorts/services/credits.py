"""Crediting a completed course's skills to profiles, and taking the credit back.

A skill's level on a profile is the highest of its *baseline* (what the student declared or a firm confirmed,
or nothing) and every active course credit for it. Each credit stores the baseline it sat on, so taking one
back rebuilds the row from the credits that remain over that baseline: the previous level and source return,
or the skill disappears when a course added it. A later self-declared or firm-confirmed change wins over any
credit and is never touched by an undo.

Both functions work on batches (a roster import completes thousands at once) with a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from apps.matching.triggers import profile_changed
from apps.talent.models import ProfileSkill, SkillSourceKind, StudentProfile

from ..models import CourseCredit, CourseSkill, Enrollment

EVIDENCE_MAX = 255


def credit_evidence(enrollment: Enrollment, on: dt.date) -> str:
    """What the profile shows as the reason for a course level: the course, the cohort and the date."""
    cohort = enrollment.cohort
    course = cohort.course
    title = course.title_zh if course.title_en == "" else f"{course.title_zh} / {course.title_en}"
    text = f"{title} · #{cohort.pk} {cohort.name or cohort.starts_on.isoformat()} · {on.isoformat()}"
    return text[:EVIDENCE_MAX]


def _pair_filter(pairs: set[tuple[int, int]]) -> Q:
    profiles = {p for p, _s in pairs}
    skills = {s for _p, s in pairs}
    return Q(profile_id__in=profiles, skill_id__in=skills)


def _locked_rows(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], ProfileSkill]:
    """The profile skill rows of these (profile, skill) pairs, locked until the transaction ends."""
    rows = ProfileSkill.objects.select_for_update().filter(_pair_filter(pairs))
    return {(r.profile_id, r.skill_id): r for r in rows if (r.profile_id, r.skill_id) in pairs}


def _touch(profile_ids: set[int]) -> None:
    if not profile_ids:
        return
    StudentProfile.objects.filter(pk__in=profile_ids).update(updated_at=timezone.now())
    for profile_id in sorted(profile_ids):
        profile_changed(profile_id)


def credits_grant(*, enrollments: list[Enrollment], on: dt.date) -> set[int]:
    """Credit each enrollment's course skills to its profile (never lowering a level); return changed profiles.

    Call inside a transaction, with the enrollments already marked completed.
    """
    if not enrollments:
        return set()
    by_course: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for course_id, skill_id, level in CourseSkill.objects.filter(
            course_id__in={e.cohort.course_id for e in enrollments}).values_list("course_id", "skill_id", "level"):
        by_course[course_id].append((skill_id, level))
    pairs = {(e.profile_id, skill_id) for e in enrollments for skill_id, _level in by_course[e.cohort.course_id]}
    if not pairs:
        return set()
    rows = _locked_rows(pairs)
    latest: dict[tuple[int, int], CourseCredit] = {}
    for credit in CourseCredit.objects.active().filter(_pair_filter(pairs)).order_by("pk"):
        latest[(credit.profile_id, credit.skill_id)] = credit
    already = set(CourseCredit.objects.active().filter(enrollment__in=enrollments).values_list("enrollment_id",
                                                                                                 "skill_id"))
    new_credits, creates, updates, changed = [], {}, {}, set()
    now = timezone.now()
    for enrollment in enrollments:
        evidence = credit_evidence(enrollment, on)
        for skill_id, level in by_course[enrollment.cohort.course_id]:
            if (enrollment.pk, skill_id) in already:
                continue  # completing twice credits once
            key = (enrollment.profile_id, skill_id)
            row = rows.get(key)
            if row is None:
                baseline = (None, "", "")
            elif row.source == SkillSourceKind.COURSE and key in latest:
                prior = latest[key]
                baseline = (prior.baseline_level, prior.baseline_source, prior.baseline_evidence)
            else:
                baseline = (row.level, row.source, row.evidence)
            raised = row is None or row.level < level
            if raised:
                if row is None:
                    row = ProfileSkill(profile_id=enrollment.profile_id, skill_id=skill_id)
                    rows[key] = row
                    creates[key] = row
                elif key not in creates:
                    updates[key] = row
                row.level, row.source, row.evidence, row.updated_at = level, SkillSourceKind.COURSE, evidence, now
                changed.add(enrollment.profile_id)
            credit = CourseCredit(enrollment=enrollment, profile_id=enrollment.profile_id, skill_id=skill_id,
                                  level=level, raised=raised, baseline_level=baseline[0], baseline_source=baseline[1],
                                  baseline_evidence=baseline[2], evidence=evidence, credited_on=on)
            new_credits.append(credit)
            latest[key] = credit
    ProfileSkill.objects.bulk_create(list(creates.values()), batch_size=1000)
    ProfileSkill.objects.bulk_update(list(updates.values()), ["level", "source", "evidence", "updated_at"],
                                     batch_size=500)
    CourseCredit.objects.bulk_create(new_credits, batch_size=1000)
    _touch(changed)
    return changed


def credits_revoke(*, enrollments: list[Enrollment]) -> set[int]:
    """Take back every active credit of these enrollments; return the profiles whose skills changed."""
    revoking = list(CourseCredit.objects.active().filter(enrollment__in=enrollments).order_by("pk"))
    if not revoking:
        return set()
    pairs = {(c.profile_id, c.skill_id) for c in revoking}
    rows = _locked_rows(pairs)
    active: dict[tuple[int, int], list[CourseCredit]] = defaultdict(list)
    for credit in CourseCredit.objects.active().filter(_pair_filter(pairs)).order_by("pk"):
        if (credit.profile_id, credit.skill_id) in pairs:
            active[(credit.profile_id, credit.skill_id)].append(credit)
    revoked_ids = {c.pk for c in revoking}
    now = timezone.now()
    updates, deletes, changed = {}, [], set()
    for key, credits in active.items():
        remaining = [c for c in credits if c.pk not in revoked_ids]
        row = rows.get(key)
        if row is None or row.source != SkillSourceKind.COURSE:
            continue  # removed, or re-declared/confirmed since: the credit no longer shows
        newest = credits[-1]  # holds the baseline under every credit of this skill
        best = max(remaining, key=lambda c: (c.level, c.pk)) if remaining else None
        base_level = newest.baseline_level
        if best is not None and (base_level is None or best.level >= base_level):
            target = (best.level, SkillSourceKind.COURSE, best.evidence)
        elif base_level is not None:
            target = (base_level, newest.baseline_source or SkillSourceKind.SELF, newest.baseline_evidence)
        else:
            deletes.append(row.pk)
            changed.add(key[0])
            continue
        if (row.level, row.source, row.evidence) != target:
            row.level, row.source, row.evidence = target
            row.updated_at = now
            updates[key] = row
            changed.add(key[0])
    CourseCredit.objects.filter(pk__in=revoked_ids).update(revoked_at=now)
    for start in range(0, len(deletes), 900):
        ProfileSkill.objects.filter(pk__in=deletes[start:start + 900]).delete()
    ProfileSkill.objects.bulk_update(list(updates.values()), ["level", "source", "evidence", "updated_at"],
                                     batch_size=500)
    _touch(changed)
    return changed
