"""The API permission matrix: every role × every operation × own / someone else's object → expected status.

How to read and extend it
-------------------------
* ``ROLES`` are the callers. ``firm`` belongs to approved firm **A**, ``other_firm`` to approved firm **B**,
  ``pending_firm`` to firm **C** (waiting for approval); see ``tests/api/conftest.py::world``.
* ``OPERATIONS`` says how to call each API operation (method, URL, body). ``{id}``/``{code}`` are filled from
  the target object.
* ``MATRIX`` maps ``(operation, target)`` to the expected status for every role. Targets: ``-`` (no object),
  a vacancy ``A.open``/``A.draft``/``B.open``/``B.draft``/``C.draft``, an organisation ``org:A``/``org:C``,
  anything looked up by code ``code:<code>`` (skills, categories, markets, locations), training objects ``t:...``,
  pipeline objects ``app:``/``inv:``/``hire:``/``note:``, report snapshots ``rep:done``/``rep:pending``
  (``tests/api/conftest.py`` seeds them). "Own" vs "someone
  else's" is which firm's object a role calls: firm's own is A.*, other_firm's own is B.*. The profile
  endpoints address only the caller's own profile: there is no URL for someone else's.
* ``LIST_SCOPE`` gives how many rows each list answers per role (only in-scope rows).
* A new endpoint: add its operation and rows. ``test_every_api_operation_is_in_the_matrix`` fails until
  every route under /api/v1/ (outside ``NOT_YET_IN_MATRIX``) has a row.

The object rule the table encodes: an object the caller cannot see answers 404 to every method (its
existence is not revealed); one the caller sees but may not change answers 403; anonymous writes answer 401.
"""

import itertools
import uuid
from dataclasses import dataclass, field

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests import factories
from tests.api.conftest import seed_audit, seed_matches, seed_reports, seed_training

ROLES = ("anonymous", "student", "firm", "other_firm", "pending_firm", "university", "government", "admin")

# Apps whose API routes do not have matrix rows yet (built in parallel with this table); when an app's rows
# are added below, take it off this list and the coverage test holds it to the table from then on.
NOT_YET_IN_MATRIX = ()


@dataclass(frozen=True)
class Op:
    method: str
    path: str  # as in the OpenAPI schema, e.g. /api/v1/vacancies/{id}/
    body: object = None  # dict, or callable(world, user) -> dict
    extra: dict = field(default_factory=dict)
    needs: str = ""  # "training" / "matches" / "audit" / "reports": seed that part of the world first (``call``)


def _vacancy_body(**extra):
    return {"title": "Cross-border operator", "job_type": "internship",
            "required_skills": [{"skill": "速卖通", "min_level": 3}], **extra}


def _token_body(world, user):
    if user is None:
        return {"email": "nobody@example.com", "password": "wrong password!"}
    return {"email": user.email, "password": factories.PASSWORD}


def _sign_up_body(world, user):
    return {"email": f"new-{uuid.uuid4().hex[:10]}@example.com", "password": factories.PASSWORD,
            "full_name": "New Student", "account_type": "student"}


OPERATIONS = {
    # accounts
    "token.create": Op("post", "/api/v1/auth/token/", _token_body),
    "token.delete": Op("delete", "/api/v1/auth/token/"),
    "sign_up": Op("post", "/api/v1/auth/sign-up/", _sign_up_body),
    "me": Op("get", "/api/v1/me/"),
    "organisations.list": Op("get", "/api/v1/organisations/"),
    "organisations.retrieve": Op("get", "/api/v1/organisations/{id}/"),
    # taxonomy (public reference data)
    "skills.list": Op("get", "/api/v1/skills/"),
    "skills.retrieve": Op("get", "/api/v1/skills/{code}/"),
    "skills.resolve": Op("post", "/api/v1/skills/resolve/", {"names": ["速卖通", "no such skill"]}),
    "skills.suggest": Op("post", "/api/v1/skills/suggest/", {"text": "Run our AliExpress store; SEO a plus."}),
    "skill_categories.list": Op("get", "/api/v1/skill-categories/"),
    "skill_categories.retrieve": Op("get", "/api/v1/skill-categories/{code}/"),
    "markets.list": Op("get", "/api/v1/markets/"),
    "markets.retrieve": Op("get", "/api/v1/markets/{code}/"),
    "locations.list": Op("get", "/api/v1/locations/"),
    "locations.retrieve": Op("get", "/api/v1/locations/{code}/"),
    # the caller's own profile
    "profile.get": Op("get", "/api/v1/profile/"),
    "profile.patch": Op("patch", "/api/v1/profile/", {"city": "Ningbo", "pref_markets": ["rcep"]}),
    "profile.skills.put": Op("put", "/api/v1/profile/skills/", {
        "skills": [{"skill": "AliExpress", "level": 4}], "languages": [{"language": "英语", "cefr": "CET-6"}]}),
    "profile.skills.post": Op("post", "/api/v1/profile/skills/", {"skill": "marketing.seo", "level": 2}),
    "profile.skills.delete": Op("delete", "/api/v1/profile/skills/{code}/"),
    # vacancies
    "vacancies.list": Op("get", "/api/v1/vacancies/"),
    "vacancies.retrieve": Op("get", "/api/v1/vacancies/{id}/"),
    "vacancies.create": Op("post", "/api/v1/vacancies/", _vacancy_body()),
    "vacancies.create_for_A": Op("post", "/api/v1/vacancies/", lambda world, user: _vacancy_body(
        firm=world["orgs"]["A"].pk)),
    "vacancies.update": Op("put", "/api/v1/vacancies/{id}/", _vacancy_body(title="Replaced")),
    "vacancies.partial_update": Op("patch", "/api/v1/vacancies/{id}/", {"title": "Renamed"}),
    "vacancies.destroy": Op("delete", "/api/v1/vacancies/{id}/"),
    "vacancies.publish": Op("post", "/api/v1/vacancies/{id}/publish/"),
    "vacancies.close": Op("post", "/api/v1/vacancies/{id}/close/"),
    # applications (targets app:/inv:/hire: are created on demand, see _pipeline_object)
    "applications.list": Op("get", "/api/v1/applications/"),
    "applications.retrieve": Op("get", "/api/v1/applications/{id}/"),
    "applications.create": Op("post", "/api/v1/applications/", lambda world, user: {
        "vacancy": world["vacancies"]["A.open"].pk, "note": "Keen"}),
    "applications.accept": Op("post", "/api/v1/applications/{id}/accept/", {}),
    "applications.decline": Op("post", "/api/v1/applications/{id}/decline/", {}),
    "applications.withdraw": Op("post", "/api/v1/applications/{id}/withdraw/", {"reason": "found a job"}),
    "applications.withdraw_consent": Op("post", "/api/v1/applications/{id}/withdraw-consent/"),
    "applications.move": Op("post", "/api/v1/applications/{id}/move/", {"stage": "shortlisted"}),
    "applications.outcome": Op("post", "/api/v1/applications/{id}/outcome/", lambda world, user: {
        "start_date": str(world["today"])}),
    "invitations.create": Op("post", "/api/v1/invitations/", lambda world, user: {
        "vacancy": world["vacancies"]["A.open"].pk, "profile": world["users"]["student"].profile.pk}),
    "pipeline.get": Op("get", "/api/v1/vacancies/{vacancy_id}/pipeline/"),
    "pipeline.bulk": Op("post", "/api/v1/vacancies/{vacancy_id}/pipeline/bulk/", {
        "action": "rejected", "reason": "Filled", "applications": [987654]}),
    # notifications (note:<role> is a notification of that role's user)
    "notifications.list": Op("get", "/api/v1/notifications/"),
    "notifications.retrieve": Op("get", "/api/v1/notifications/{id}/"),
    "notifications.read": Op("post", "/api/v1/notifications/{id}/read/"),
    "notifications.read_all": Op("post", "/api/v1/notifications/read-all/"),
    "notification_settings.get": Op("get", "/api/v1/notification-settings/"),
    "notification_settings.patch": Op("patch", "/api/v1/notification-settings/", {"email_digest": False}),
}


def row(default: int, **by_role: int) -> dict[str, int]:
    """Expected status per role: ``default`` unless named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"unknown roles {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


SIGNED_IN = {role: 200 for role in ROLES if role != "anonymous"}
STUDENT_ONLY = row(403, anonymous=401, student=200)


def vacancy_writes(ok: int, owner: str, *, visible_to_all: bool) -> dict[str, int]:
    """A write on a vacancy of ``owner``'s firm: owner and admin succeed; the rest 403 if they see it, else 404."""
    return row(403 if visible_to_all else 404, anonymous=401, **{owner: ok, "admin": ok})


def vacancy_read(owner: str, *, visible_to_all: bool) -> dict[str, int]:
    return row(200) if visible_to_all else row(404, **{owner: 200, "admin": 200})


MATRIX: dict[tuple[str, str], dict[str, int]] = {
    ("token.create", "-"): row(200, anonymous=400),
    ("token.delete", "-"): row(204, anonymous=401),
    ("sign_up", "-"): row(201),
    ("me", "-"): row(200, anonymous=401),
    ("organisations.list", "-"): row(200),
    ("organisations.retrieve", "org:A"): row(200),
    ("organisations.retrieve", "org:C"): row(404, pending_firm=200, admin=200),  # pending: members and admins
    ("skills.list", "-"): row(200),
    ("skills.retrieve", "code:platform.aliexpress"): row(200),
    ("skills.retrieve", "code:no.such.skill"): row(404),
    ("skills.resolve", "-"): row(200),
    ("skills.suggest", "-"): row(200),
    ("skill_categories.list", "-"): row(200),
    ("skill_categories.retrieve", "code:platform"): row(200),
    ("markets.list", "-"): row(200),
    ("markets.retrieve", "code:rcep"): row(200),
    ("locations.list", "-"): row(200),
    ("locations.retrieve", "code:city_centre"): row(200),
    ("profile.get", "-"): STUDENT_ONLY,
    ("profile.patch", "-"): STUDENT_ONLY,
    ("profile.skills.put", "-"): STUDENT_ONLY,
    ("profile.skills.post", "-"): STUDENT_ONLY,
    ("profile.skills.delete", "code:platform.amazon_seller_central"): row(403, anonymous=401, student=204),
    ("profile.skills.delete", "code:logistics.fba"): row(403, anonymous=401, student=404),  # not on the profile
    ("vacancies.list", "-"): row(200),
    ("vacancies.retrieve", "A.open"): vacancy_read("firm", visible_to_all=True),
    ("vacancies.retrieve", "A.draft"): vacancy_read("firm", visible_to_all=False),
    ("vacancies.retrieve", "A.closed"): vacancy_read("firm", visible_to_all=False),
    ("vacancies.retrieve", "B.draft"): vacancy_read("other_firm", visible_to_all=False),
    ("vacancies.retrieve", "C.draft"): vacancy_read("pending_firm", visible_to_all=False),
    # Creating: the firm is implied by membership; a platform admin must name it.
    ("vacancies.create", "-"): row(403, anonymous=401, firm=201, other_firm=201, pending_firm=201, admin=400),
    ("vacancies.create_for_A", "-"): row(403, anonymous=401, firm=201, admin=201),
    ("vacancies.update", "A.open"): vacancy_writes(200, "firm", visible_to_all=True),
    ("vacancies.update", "A.draft"): vacancy_writes(200, "firm", visible_to_all=False),
    ("vacancies.update", "B.draft"): vacancy_writes(200, "other_firm", visible_to_all=False),
    ("vacancies.partial_update", "A.open"): vacancy_writes(200, "firm", visible_to_all=True),
    ("vacancies.partial_update", "A.draft"): vacancy_writes(200, "firm", visible_to_all=False),
    ("vacancies.partial_update", "B.open"): vacancy_writes(200, "other_firm", visible_to_all=True),
    ("vacancies.partial_update", "C.draft"): vacancy_writes(200, "pending_firm", visible_to_all=False),
    ("vacancies.destroy", "A.open"): vacancy_writes(204, "firm", visible_to_all=True),
    ("vacancies.destroy", "A.draft"): vacancy_writes(204, "firm", visible_to_all=False),
    ("vacancies.destroy", "B.draft"): vacancy_writes(204, "other_firm", visible_to_all=False),
    ("vacancies.publish", "A.draft"): vacancy_writes(200, "firm", visible_to_all=False),
    ("vacancies.publish", "B.draft"): vacancy_writes(200, "other_firm", visible_to_all=False),
    # A pending firm cannot publish: the service's message, as a 400 (for the platform admin too).
    ("vacancies.publish", "C.draft"): vacancy_writes(400, "pending_firm", visible_to_all=False),
    ("vacancies.close", "A.open"): vacancy_writes(200, "firm", visible_to_all=True),
    ("vacancies.close", "B.open"): vacancy_writes(200, "other_firm", visible_to_all=True),
    ("vacancies.close", "A.draft"): vacancy_writes(200, "firm", visible_to_all=False),
}

# The pipeline: students act on their own applications, the vacancy's firm (and platform admins) on the employer's
# side; an application is visible to its student, its firm and admins (others get 404), and a visible one the
# caller may not act on that way answers 403.
STUDENT_SIDE = row(404, anonymous=401, student=200, firm=403, admin=403)
FIRM_SIDE = row(404, anonymous=401, student=403, firm=200, admin=200)
MATRIX.update({
    ("applications.list", "-"): row(200, anonymous=401),
    ("applications.retrieve", "app:A.open"): row(404, anonymous=401, student=200, firm=200, admin=200),
    ("applications.create", "-"): row(403, anonymous=401, student=201),
    ("applications.accept", "inv:A.open"): STUDENT_SIDE,
    ("applications.decline", "inv:A.open"): STUDENT_SIDE,
    ("applications.withdraw", "app:A.open"): STUDENT_SIDE,
    ("applications.withdraw_consent", "app:A.open"): STUDENT_SIDE,
    ("applications.move", "app:A.open"): FIRM_SIDE,
    ("applications.outcome", "hire:A.open"): FIRM_SIDE,
    # Only firm accounts (and admins) invite; another firm sees the open vacancy but does not own it.
    ("invitations.create", "-"): row(403, anonymous=401, firm=201, admin=201),
    ("pipeline.get", "A.open"): vacancy_writes(200, "firm", visible_to_all=True),
    ("pipeline.get", "A.draft"): vacancy_writes(200, "firm", visible_to_all=False),
    ("pipeline.bulk", "A.open"): vacancy_writes(200, "firm", visible_to_all=True),
    ("pipeline.bulk", "B.draft"): vacancy_writes(200, "other_firm", visible_to_all=False),
    ("notifications.list", "-"): row(200, anonymous=401),
    ("notifications.retrieve", "note:student"): row(404, anonymous=401, student=200),
    ("notifications.retrieve", "note:firm"): row(404, anonymous=401, firm=200),
    ("notifications.read", "note:student"): row(404, anonymous=401, student=200),
    ("notifications.read_all", "-"): row(200, anonymous=401),
    ("notification_settings.get", "-"): row(200, anonymous=401),
    ("notification_settings.patch", "-"): row(200, anonymous=401),
})

# --- Matching and training ----------------------------------------------------------------------------------
# Targets ``t:<key>`` are objects of ``seed_training`` (tests/api/conftest.py): ``P.U`` (the university role's
# programme, funded by G, firm A a partner) / ``P.U.draft`` / ``P.V`` / ``P.V.draft`` (another university's),
# courses ``C.U`` / ``C.U.inactive`` / ``C.V``, cohorts ``K.U`` (the student's) / ``K.U.open`` / ``K.U.draft`` /
# ``K.V``, enrollments ``E.student`` / ``E.grad`` / ``E.other``, placements ``PL.A`` (the student at firm A) and
# ``PL.B`` (another student at firm B). ``run`` is the match run of ``seed_matches``.


def _training(key):
    return lambda world, user: seed_training(world)[key]


def _programme_body(world, user, **extra):
    training = seed_training(world)
    return {"name_zh": "新项目", "starts_on": training["start"], "ends_on": training["end"], **extra}


def _cohort_body(course):
    def body(world, user):
        training = seed_training(world)
        return {"course": training[course].pk, "capacity": 10, "starts_on": training["start"],
                "ends_on": training["end"]}
    return body


OPERATIONS.update({
    # matching
    "candidates.list": Op("get", "/api/v1/vacancies/{vacancy_id}/candidates/", needs="matches"),
    "candidates.refresh": Op("post", "/api/v1/vacancies/{vacancy_id}/candidates/refresh/"),
    "my_matches.list": Op("get", "/api/v1/matches/mine/", needs="matches"),
    "my_matches.refresh": Op("post", "/api/v1/matches/mine/refresh/"),
    "match_runs.list": Op("get", "/api/v1/match-runs/", needs="matches"),
    "match_runs.retrieve": Op("get", "/api/v1/match-runs/{id}/", needs="matches"),
    # programmes
    "programmes.list": Op("get", "/api/v1/programmes/", needs="training"),
    "programmes.retrieve": Op("get", "/api/v1/programmes/{id}/"),
    "programmes.create": Op("post", "/api/v1/programmes/", _programme_body),
    "programmes.create_for_U": Op("post", "/api/v1/programmes/", lambda world, user: _programme_body(
        world, user, university=world["orgs"]["U"].pk)),
    "programmes.update": Op("put", "/api/v1/programmes/{id}/", _programme_body),
    "programmes.partial_update": Op("patch", "/api/v1/programmes/{id}/", {"name_en": "Renamed"}),
    "programmes.outcomes": Op("get", "/api/v1/programmes/{id}/outcomes/"),
    # courses
    "courses.list": Op("get", "/api/v1/courses/", needs="training"),
    "courses.retrieve": Op("get", "/api/v1/courses/{id}/"),
    "courses.create": Op("post", "/api/v1/courses/", {
        "title_zh": "新课程", "skills": [{"skill": "marketing.seo", "level": 3}]}),
    "courses.create_for_U": Op("post", "/api/v1/courses/", lambda world, user: {
        "title_zh": "新课程", "provider": world["orgs"]["U"].pk}),
    "courses.update": Op("put", "/api/v1/courses/{id}/", {"title_zh": "换个名字", "hours": 60}),
    "courses.partial_update": Op("patch", "/api/v1/courses/{id}/", {"hours": 60}),
    # cohorts
    "cohorts.list": Op("get", "/api/v1/cohorts/", needs="training"),
    "cohorts.retrieve": Op("get", "/api/v1/cohorts/{id}/"),
    "cohorts.create_on_C.U": Op("post", "/api/v1/cohorts/", _cohort_body("C.U")),
    "cohorts.create_on_C.V": Op("post", "/api/v1/cohorts/", _cohort_body("C.V")),
    "cohorts.update": Op("put", "/api/v1/cohorts/{id}/", _cohort_body("C.U")),
    "cohorts.partial_update": Op("patch", "/api/v1/cohorts/{id}/", {"place": "Room 2"}),
    "cohorts.join": Op("post", "/api/v1/cohorts/{id}/join/"),
    "cohorts.leave": Op("post", "/api/v1/cohorts/{id}/leave/"),
    "cohorts.complete_all": Op("post", "/api/v1/cohorts/{id}/complete-all/", {}),
    "cohorts.outcomes": Op("get", "/api/v1/cohorts/{id}/outcomes/"),
    # enrollments and placements (rows about people)
    "enrollments.list": Op("get", "/api/v1/enrollments/", needs="training"),
    "enrollments.retrieve": Op("get", "/api/v1/enrollments/{id}/"),
    "enrollments.create": Op("post", "/api/v1/enrollments/", lambda world, user: {
        "cohort": seed_training(world)["K.U.open"].pk, "student": world["people"]["other"].email}),
    "enrollments.partial_update": Op("patch", "/api/v1/enrollments/{id}/", {"grade": "A"}),
    "placements.list": Op("get", "/api/v1/placements/", needs="training"),
    "placements.retrieve": Op("get", "/api/v1/placements/{id}/"),
    "placements.create": Op("post", "/api/v1/placements/", lambda world, user: {
        "student": world["users"]["student"].email, "firm": world["orgs"]["A"].pk,
        "started_on": seed_training(world)["start"]}),
    "placements.destroy": Op("delete", "/api/v1/placements/{id}/"),
    "cohort_recommendations": Op("get", "/api/v1/cohort-recommendations/", needs="training"),
    "training_insights": Op("get", "/api/v1/training-insights/", needs="training"),
})

UNIVERSITY_WRITES = row(403, anonymous=401, university=200, admin=200)  # U's object: U's staff and admins
SIGNED_IN_READ = row(200, anonymous=401)
MATRIX.update({
    # A vacancy's candidates: its firm and admins; others 403 if they see the vacancy, else 404.
    ("candidates.list", "A.open"): vacancy_writes(200, "firm", visible_to_all=True),
    ("candidates.list", "A.draft"): vacancy_writes(200, "firm", visible_to_all=False),
    ("candidates.list", "B.open"): vacancy_writes(200, "other_firm", visible_to_all=True),
    ("candidates.list", "C.draft"): vacancy_writes(200, "pending_firm", visible_to_all=False),
    ("candidates.refresh", "A.open"): vacancy_writes(202, "firm", visible_to_all=True),
    ("candidates.refresh", "B.draft"): vacancy_writes(202, "other_firm", visible_to_all=False),
    ("my_matches.list", "-"): STUDENT_ONLY,
    ("my_matches.refresh", "-"): row(403, anonymous=401, student=202),
    ("match_runs.list", "-"): row(403, anonymous=401, admin=200),
    ("match_runs.retrieve", "run"): row(403, anonymous=401, admin=200),
    # Programmes: running ones are public; drafts for their university (and funder/partners) and admins.
    ("programmes.list", "-"): row(200),
    ("programmes.retrieve", "t:P.U"): row(200),
    ("programmes.retrieve", "t:P.U.draft"): row(404, university=200, admin=200),
    ("programmes.retrieve", "t:P.V.draft"): row(404, admin=200),
    # University staff create for their university; a platform admin must name it.
    ("programmes.create", "-"): row(403, anonymous=401, university=201, admin=400),
    ("programmes.create_for_U", "-"): row(403, anonymous=401, university=201, admin=201),
    ("programmes.update", "t:P.U"): UNIVERSITY_WRITES,
    ("programmes.partial_update", "t:P.U"): UNIVERSITY_WRITES,
    ("programmes.partial_update", "t:P.U.draft"): row(404, anonymous=401, university=200, admin=200),
    ("programmes.partial_update", "t:P.V"): row(403, anonymous=401, admin=200),
    ("programmes.partial_update", "t:P.V.draft"): row(404, anonymous=401, admin=200),
    ("programmes.outcomes", "t:P.U"): SIGNED_IN_READ,
    ("programmes.outcomes", "t:P.V.draft"): row(404, anonymous=401, admin=200),
    # Courses: active ones of approved providers are public; inactive ones for their provider.
    ("courses.list", "-"): row(200),
    ("courses.retrieve", "t:C.U"): row(200),
    ("courses.retrieve", "t:C.U.inactive"): row(404, university=200, admin=200),
    ("courses.create", "-"): row(403, anonymous=401, university=201, admin=400),
    ("courses.create_for_U", "-"): row(403, anonymous=401, university=201, admin=201),
    ("courses.update", "t:C.U"): UNIVERSITY_WRITES,
    ("courses.partial_update", "t:C.U"): UNIVERSITY_WRITES,
    ("courses.partial_update", "t:C.U.inactive"): row(404, anonymous=401, university=200, admin=200),
    ("courses.partial_update", "t:C.V"): row(403, anonymous=401, admin=200),
    # Cohorts: visible when their course and programme are; changed by the staff running them.
    ("cohorts.list", "-"): row(200),
    ("cohorts.retrieve", "t:K.U"): row(200),
    ("cohorts.retrieve", "t:K.U.draft"): row(404, university=200, admin=200),
    ("cohorts.create_on_C.U", "-"): row(403, anonymous=401, university=201, admin=201),
    ("cohorts.create_on_C.V", "-"): row(403, anonymous=401, admin=201),
    ("cohorts.update", "t:K.U"): UNIVERSITY_WRITES,
    ("cohorts.partial_update", "t:K.U"): UNIVERSITY_WRITES,
    ("cohorts.partial_update", "t:K.U.draft"): row(404, anonymous=401, university=200, admin=200),
    ("cohorts.partial_update", "t:K.V"): row(403, anonymous=401, admin=200),
    ("cohorts.join", "t:K.U.open"): row(403, anonymous=401, student=201),
    ("cohorts.join", "t:K.U.draft"): row(403, anonymous=401, student=404),
    ("cohorts.leave", "t:K.U"): row(403, anonymous=401, student=200),
    ("cohorts.leave", "t:K.V"): row(403, anonymous=401, student=400),  # not in it
    ("cohorts.complete_all", "t:K.U"): UNIVERSITY_WRITES,
    ("cohorts.complete_all", "t:K.V"): row(403, anonymous=401, admin=200),
    ("cohorts.outcomes", "t:K.U"): SIGNED_IN_READ,
    ("cohorts.outcomes", "t:K.U.draft"): row(404, anonymous=401, university=200, admin=200),
    # Enrollments: the student's own, the staff's rosters, partner firms' consenting graduates.
    ("enrollments.list", "-"): SIGNED_IN_READ,
    ("enrollments.retrieve", "t:E.student"): row(404, anonymous=401, student=200, university=200, admin=200),
    ("enrollments.retrieve", "t:E.grad"): row(404, anonymous=401, firm=200, university=200, admin=200),
    ("enrollments.retrieve", "t:E.other"): row(404, anonymous=401, admin=200),
    ("enrollments.create", "-"): row(403, anonymous=401, university=201, admin=201),
    ("enrollments.partial_update", "t:E.student"): row(404, anonymous=401, student=403, university=200,
                                                       admin=200),
    ("enrollments.partial_update", "t:E.grad"): row(404, anonymous=401, firm=403, university=200, admin=200),
    ("enrollments.partial_update", "t:E.other"): row(404, anonymous=401, admin=200),
    # Placements: the student's own, their university's, the hiring firm's.
    ("placements.list", "-"): SIGNED_IN_READ,
    ("placements.retrieve", "t:PL.A"): row(404, anonymous=401, student=200, firm=200, university=200, admin=200),
    ("placements.retrieve", "t:PL.B"): row(404, anonymous=401, other_firm=200, admin=200),
    ("placements.create", "-"): row(403, anonymous=401, university=201, admin=201),
    ("placements.destroy", "t:PL.A"): row(404, anonymous=401, student=403, firm=403, university=204, admin=204),
    ("placements.destroy", "t:PL.B"): row(404, anonymous=401, other_firm=403, admin=204),
    ("cohort_recommendations", "-"): STUDENT_ONLY,
    ("training_insights", "-"): row(403, anonymous=401, university=200, admin=200),
})

# --- Privacy: every signed-in user's own consents, export and deletion; the audit trail for platform admins ------
# Consents for matching and sharing contact details belong to a student's profile: other accounts have none (400).
# The last platform admin cannot delete their account (400); a wrong password is refused for everyone (400).


OPERATIONS.update({
    "privacy.consents.get": Op("get", "/api/v1/privacy/consents/"),
    "privacy.consents.email": Op("post", "/api/v1/privacy/consents/", {"purpose": "email", "granted": False}),
    "privacy.consents.matching": Op("post", "/api/v1/privacy/consents/", {"purpose": "matching", "granted": False}),
    "privacy.export": Op("get", "/api/v1/privacy/export/"),
    "privacy.delete_account": Op("post", "/api/v1/privacy/delete-account/", lambda world, user: {
        "password": factories.PASSWORD}),
    "privacy.delete_account.wrong_password": Op("post", "/api/v1/privacy/delete-account/", {
        "password": "not the password"}),
    "privacy.audit_events": Op("get", "/api/v1/privacy/audit-events/", needs="audit"),
})
MATRIX.update({
    ("privacy.consents.get", "-"): SIGNED_IN_READ,
    ("privacy.consents.email", "-"): SIGNED_IN_READ,
    ("privacy.consents.matching", "-"): row(400, anonymous=401, student=200),
    ("privacy.export", "-"): SIGNED_IN_READ,
    ("privacy.delete_account", "-"): row(204, anonymous=401, admin=400),
    ("privacy.delete_account.wrong_password", "-"): row(400, anonymous=401),
    ("privacy.audit_events", "-"): row(403, anonymous=401, admin=200),
})

# --- Reports: city-wide aggregates for government users and platform admins ---------------------------------
# Targets ``rep:done`` (a finished report) and ``rep:pending`` (queued, not built) are ``seed_reports``'s.


def _report_request(**extra):
    return lambda world, user: {"period": seed_reports(world)["period"], **extra}


OPERATIONS.update({
    "reports.list": Op("get", "/api/v1/reports/", needs="reports"),
    "reports.retrieve": Op("get", "/api/v1/reports/{id}/"),
    "reports.progress": Op("get", "/api/v1/reports/{id}/progress/"),
    "reports.export": Op("get", "/api/v1/reports/{id}/export/", {"section": "funnel", "file": "csv"}),
    "reports.create": Op("post", "/api/v1/reports/", _report_request()),
    # the same period and filters as rep:pending, which is still waiting: a conflict
    "reports.create_running": Op("post", "/api/v1/reports/", _report_request(district="city_centre"),
                                 needs="reports"),
})
REPORT_READERS = row(403, anonymous=401, government=200, admin=200)
MATRIX.update({
    ("reports.list", "-"): REPORT_READERS,
    ("reports.retrieve", "rep:done"): REPORT_READERS,
    ("reports.retrieve", "rep:pending"): REPORT_READERS,
    ("reports.progress", "rep:pending"): REPORT_READERS,
    ("reports.export", "rep:done"): REPORT_READERS,
    ("reports.export", "rep:pending"): row(403, anonymous=401, government=400, admin=400),  # not built yet
    ("reports.create", "-"): row(403, anonymous=401, government=202, admin=202),
    ("reports.create_running", "-"): row(403, anonymous=401, government=409, admin=409),
})

# How many rows a list answers per role (the world holds 5 organisations and 6 vacancies); ``None``: the role is
# refused (its status is in MATRIX). Keys are (operation, target) as in MATRIX.
REFUSED = None
LIST_SCOPE: dict[tuple[str, str], dict[str, int | None]] = {
    # approved A, B, U, G for everyone; a member also sees their own pending firm C; admins see all
    ("organisations.list", "-"): row(4, pending_firm=5, admin=5),
    # open A.open and B.open for everyone; members add their firm's drafts and closed ones
    ("vacancies.list", "-"): row(2, firm=4, other_firm=3, pending_firm=3, admin=6),
    # the one matchable student ranks for A.open; only its firm and admins may read the list
    ("candidates.list", "A.open"): row(REFUSED, firm=1, admin=1),
    # A.open and B.open rank the student
    ("my_matches.list", "-"): row(REFUSED, student=2),
    ("match_runs.list", "-"): row(REFUSED, admin=1),
    # running P.U and P.V for everyone; U's staff add their draft P.U.draft; admins all 4
    ("programmes.list", "-"): row(2, university=3, admin=4),
    # active C.U and C.V; U's staff add their inactive C.U.inactive
    ("courses.list", "-"): row(2, university=3, admin=3),
    # K.U, K.U.open, K.V; K.U.draft only where its draft programme is seen
    ("cohorts.list", "-"): row(3, university=4, admin=4),
    # student: their own; firm A: E.grad (partner programme, completed, shares contact); U: its roster
    ("enrollments.list", "-"): row(0, anonymous=REFUSED, student=1, firm=1, university=2, admin=3),
    # student: PL.A; firms: their hires; U: its student's PL.A; government: none (aggregates only)
    ("placements.list", "-"): row(0, anonymous=REFUSED, student=1, firm=1, other_firm=1, university=1, admin=2),
    # the three events of seed_audit, for platform admins only
    ("privacy.audit_events", "-"): row(REFUSED, admin=3),
    # both snapshots of seed_reports, for government users and admins
    ("reports.list", "-"): row(REFUSED, government=2, admin=2),
}


def _cases():
    for (operation, target), expected in MATRIX.items():
        for role in ROLES:
            yield pytest.param(operation, target, role, expected[role], id=f"{operation}[{target}]-{role}")


def _pipeline_object(world, target: str):
    """The application, invitation, hire or notification a target names, created the first time it is asked for."""
    from django.utils import timezone

    from apps.applications import services as pipeline
    from apps.notifications.models import Notification

    cache = world.setdefault("pipeline", {})
    if target not in cache:
        kind, _, name = target.partition(":")
        users = world["users"]
        world["today"] = timezone.localdate()
        if kind == "note":
            cache[target] = Notification.objects.create(user=users[name], kind="stage", event_key=f"test:{name}",
                                                        subject="Update", body="Something happened")
        elif kind == "inv":
            cache[target] = pipeline.invitation_create(user=users["firm"], vacancy=world["vacancies"][name],
                                                       profile=users["student"].profile)
        else:
            application = pipeline.application_apply(user=users["student"], vacancy=world["vacancies"][name])
            if kind == "hire":
                application = pipeline.application_move(user=users["firm"], application=application, to_stage="hired")
            cache[target] = application
    return cache[target]


def _url(op: Op, target: str, world) -> str:
    if target == "-":
        return op.path
    if target.startswith("t:"):
        return op.path.format(id=seed_training(world)[target[2:]].pk)
    if target == "run":
        return op.path.format(id=seed_matches(world)["run"].pk)
    if target.startswith("rep:"):
        return op.path.format(id=seed_reports(world)[target].pk)
    if target.split(":")[0] in ("app", "inv", "hire", "note"):
        return op.path.format(id=_pipeline_object(world, target).pk)
    if "{vacancy_id}" in op.path:
        return op.path.format(vacancy_id=world["vacancies"][target].pk)
    if target.startswith("org:"):
        return op.path.format(id=world["orgs"][target[4:]].pk)
    if target.startswith("code:"):
        return op.path.format(code=target[5:])
    return op.path.format(id=world["vacancies"][target].pk)


def call(client, operation: str, target: str, world, user):
    op = OPERATIONS[operation]
    if op.needs:
        {"matches": seed_matches, "training": seed_training, "audit": seed_audit, "reports": seed_reports}[
            op.needs](world)
    url = _url(op, target, world)  # creates the target first: a body may refer to what it made
    body = op.body(world, user) if callable(op.body) else op.body
    return getattr(client, op.method)(url, body, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize(("operation", "target", "role", "expected"), list(_cases()))
def test_permission_matrix(world, client_for, operation, target, role, expected):
    user = world["users"][role]
    response = call(client_for(user), operation, target, world, user)
    assert response.status_code == expected, (
        f"{role} {OPERATIONS[operation].method.upper()} {operation} on {target}: expected {expected}, "
        f"got {response.status_code}: {getattr(response, 'data', response.content)!r}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "role"), list(itertools.product(LIST_SCOPE, ROLES)),
                         ids=lambda value: value if isinstance(value, str) else f"{value[0]}[{value[1]}]")
def test_lists_answer_only_rows_in_scope(world, client_for, key, role):
    operation, target = key
    user = world["users"][role]
    response = call(client_for(user), operation, target, world, user)
    expected = LIST_SCOPE[key][role]
    if expected is REFUSED:
        assert response.status_code in (401, 403, 404) and response.status_code == MATRIX[key][role]
        return
    assert response.status_code == 200
    assert response.data["count"] == expected
    assert len(response.data["results"]) == expected  # every row fits on the first page


@pytest.mark.django_db
def test_vacancy_list_rows_are_the_ones_each_role_may_see(world, client_for):
    names = {v.pk: k for k, v in world["vacancies"].items()}
    seen = {role: {names[row["id"]] for row in client_for(user).get("/api/v1/vacancies/").data["results"]}
            for role, user in world["users"].items()}
    assert seen["anonymous"] == seen["student"] == seen["university"] == {"A.open", "B.open"}
    assert seen["firm"] == {"A.open", "A.draft", "A.closed", "B.open"}
    assert seen["other_firm"] == {"A.open", "B.open", "B.draft"}
    assert seen["pending_firm"] == {"A.open", "B.open", "C.draft"}


def test_matrix_names_every_role_for_every_row():
    for key, expected in MATRIX.items():
        assert set(expected) == set(ROLES), key
        assert key[0] in OPERATIONS, key
        assert all(100 <= code < 500 for code in expected.values()), f"{key}: a 5xx is never expected"
    assert set(LIST_SCOPE) <= set(MATRIX), "every counted list has its statuses in MATRIX"


def test_every_api_operation_is_in_the_matrix():
    """Every method of every route under /api/v1/ has at least one matrix row (outside ``NOT_YET_IN_MATRIX``)."""
    generator = SchemaGenerator()
    generator._initialise_endpoints()
    routes = set()
    for path, _regex, method, view in generator.endpoints:
        if not path.startswith("/api/v1/") or view.__module__.startswith(NOT_YET_IN_MATRIX):
            continue
        routes.add((method.lower(), path.replace("{pk}", "{id}")))
    covered = {(OPERATIONS[op].method, OPERATIONS[op].path) for op, _target in MATRIX}
    assert routes - covered == set(), "add these operations to MATRIX"
    assert covered - routes == set(), "these matrix operations no longer exist"

