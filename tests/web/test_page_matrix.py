"""The page permission matrix: every HTML page × role × own / someone else's object → expected status.

How to read and extend it
-------------------------
* ``ROLES`` are the API matrix's (``tests/api/test_permission_matrix.py``) and so is the world (firm ``A`` is the
  ``firm`` role's, ``B`` the ``other_firm`` role's, ``C`` the pending firm's, ``U`` the university role's, ``V``
  another university; see ``tests/api/conftest.py``).
* ``PAGES`` has one dict per route name: ``{target: Page(get=..., post=...)}``. A target names the object the URL
  points at: ``-`` (none), a vacancy ``A.open``/``A.draft``/``B.draft``, a training object ``t:K.U`` (see
  ``seed_training``), an application ``app:A.open`` / invitation ``inv:A.open`` / hire ``hire:A.open``, a
  notification ``note:<role>``, a report ``rep:done``/``rep:pending`` or match run ``mrun`` (``seed_reports``), or a
  page-specific one (``kind:profiles``, ``code:...``, ``roster:U``, ``export:done/funnel/csv``...).
  ``Page.get`` is the expected status of a GET per role, ``Page.post`` of a POST with ``Page.data`` as its form
  (empty unless given; ``None``: the page takes no POST and is not tried). ``LOGIN`` means a redirect to the
  sign-in page.
* A new page: add its route's dict; ``test_every_page_route_is_in_the_matrix`` fails until every named non-API,
  non-admin route (outside ``NOT_YET_IN_MATRIX``) has one.

The rules the table encodes: anonymous callers of a signed-in page are sent to sign in (never a 2xx); a signed-in
role a page is not for gets 403; an object the caller cannot see answers 404; a POST without permission never
succeeds (403/404/302 to sign in); never a 500. Each role's request runs in a savepoint rolled back after it, so
every role meets the same world; each role's client signs in once per namespace (``_signed_in``).
"""

import copy
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.api.conftest import build_world, seed_reports, seed_training
from tests.api.test_permission_matrix import ROLES, _pipeline_object, row

# Apps whose pages have no rows yet (built in parallel with this table): take one off to hold it to the table.
NOT_YET_IN_MATRIX = ()

LOGIN = "login"  # a 302 to the sign-in page


@dataclass(frozen=True)
class Page:
    get: dict
    post: dict | None = None
    data: object = None  # the POST's form (default empty): a dict, or callable(world) -> dict


def _kwargs(route: str, target: str, world) -> dict:
    """URL keyword arguments for ``route`` pointed at ``target``."""
    if target == "-":
        return {}
    kind, _, name = target.partition(":")
    if kind == "t":
        return {"pk": seed_training(world)[name].pk}
    if kind in ("app", "inv", "hire", "note"):
        return {"pk": _pipeline_object(world, target).pk}
    if kind == "code":
        return {"code": name}
    if kind == "kind":
        return {"kind": name}
    if kind == "role":
        return {"role": name}
    if kind == "skill":
        from apps.skills.models import Skill

        return {"skill_id": Skill.objects.get(code=name).pk}
    if kind == "lang":
        from apps.skills.models import Skill

        return {"language_id": Skill.objects.get(code=name).pk}
    if kind == "partner":
        programme, firm = name.split("/")
        return {"pk": seed_training(world)[programme].pk, "firm_id": world["orgs"][firm].pk}
    if kind == "roster":
        return {"pk": _roster_import(world, name).pk}
    if kind == "unsubscribe":
        from apps.notifications.services import unsubscribe_token

        return {"token": unsubscribe_token(world["users"][name], "all") if name != "bad" else "not-a-token"}
    if kind == "reset":
        return {"uidb64": "MQ", "token": "set-password"}
    if kind in ("rep", "mrun"):
        return {"pk": seed_reports(world)[target].pk}
    if kind == "export":
        snapshot, section, fmt = name.split("/")
        return {"pk": seed_reports(world)[f"rep:{snapshot}"].pk, "section": section, "fmt": fmt}
    vacancy = world["vacancies"][target]
    return {"pk": vacancy.pk} if route.startswith("jobs:") else {"vacancy_id": vacancy.pk}


def _roster_import(world, university: str):
    """A finished roster import of a cohort run by ``U`` (or ``V``)."""
    from apps.cohorts.models import RosterImport

    cache = world.setdefault("rosters", {})
    if university not in cache:
        cohort = seed_training(world)[f"K.{university}"]
        cache[university] = RosterImport.objects.create(cohort=cohort, file_name="roster.csv", source_text="",
                                                        status="done", errors_csv="row,problem\n")
    return cache[university]


def _page_world(world):
    """What pages point at, made before the roles' savepoints so every role sees the same objects."""
    from apps.skills.models import Skill
    from apps.talent.models import ProfileLanguage

    seed_training(world)
    seed_reports(world)
    english = Skill.objects.get(code="lang.en")
    ProfileLanguage.objects.get_or_create(profile=world["users"]["student"].profile, language=english,
                                          defaults={"cefr": 4})
    return world


@pytest.fixture
def world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user, admin_user):
    """The API matrix's world (``tests/api/conftest.py``)."""
    return build_world(student, firm_user, other_firm_user, pending_firm_user, university_user, government_user,
                       admin_user)


def _url(route: str, target: str, world) -> str:
    return reverse(route, kwargs=_kwargs(route, target, world))


def _signed_in(world) -> dict:
    """One client per role, signed in once (``world["clients"]``: role → (client, its cookies after signing in)).

    Every request runs in a rolled-back savepoint, so the session rows stay as they were (a sign-out deletes its
    session only inside the savepoint); the cookies are put back before each request (a sign-out or a language
    switch changes them), so each request meets the same signed-in client.
    """
    if "clients" not in world:
        world["clients"] = {}
        for role in ROLES:
            client = Client(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
            if world["users"][role] is not None:
                client.force_login(world["users"][role])
            world["clients"][role] = (client, copy.deepcopy(client.cookies))
    return world["clients"]


def _answers(world, route: str, target: str, method: str, data=None) -> dict:
    """The status each role gets (``LOGIN`` for a redirect to sign in), each in its own rolled-back savepoint."""
    url = _url(route, target, world)
    form = (data(world) if callable(data) else data) or {}
    login = reverse("accounts:login")
    answers = {}
    for role, (client, cookies) in _signed_in(world).items():
        client.cookies = copy.deepcopy(cookies)
        with transaction.atomic():
            response = getattr(client, method)(url, form) if method == "post" else client.get(url)
            transaction.set_rollback(True)
        status = response.status_code
        if status == 302 and response["Location"].split("?")[0].endswith(login):
            status = LOGIN
        answers[role] = status
    return answers


# Pages are not all for everyone: a role a page is not for gets 403 (the platform admin works in the Django admin,
# so firm and university pages refuse it too, except where it may act on anyone's object); pages take a POST only
# where they hold a form or an action.
REPORT_READERS = row(403, anonymous=LOGIN, government=200, admin=200)
ADMIN_ONLY = row(403, anonymous=LOGIN, admin=200)

PAGES: dict[str, dict[str, Page]] = {
    # root
    "set_language": {
        "-": Page(row(302), post=row(302)),
    },
    "healthz": {
        "-": Page(row(200)),
    },
    # accounts
    "accounts:signup": {
        "-": Page(row(302, anonymous=200), post=row(302, anonymous=200)),
    },
    "accounts:signup_role": {
        "role:student": Page(row(302, anonymous=200), post=row(302, anonymous=200)),
        "role:firm": Page(row(302, anonymous=200), post=row(302, anonymous=200)),
    },
    "accounts:pending": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
    "accounts:login": {
        "-": Page(row(302, anonymous=200), post=row(302, anonymous=200)),
    },
    "accounts:logout": {
        "-": Page(row(405), post=row(302)),
    },
    "accounts:password_reset": {
        "-": Page(row(200), post=row(200)),
    },
    "accounts:password_reset_done": {
        "-": Page(row(200)),
    },
    "accounts:password_reset_confirm": {
        "reset:x": Page(row(200), post=row(200)),
    },
    "accounts:password_reset_complete": {
        "-": Page(row(200)),
    },
    "accounts:password_change": {
        "-": Page(row(200, anonymous=LOGIN), post=row(200, anonymous=LOGIN)),
    },
    "accounts:password_change_done": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
    # skills
    "skills:index": {
        "-": Page(row(200)),
    },
    "skills:search_json": {
        "-": Page(row(200)),
    },
    "skills:detail": {
        "code:platform.aliexpress": Page(row(200)),
        "code:no.such": Page(row(404)),
    },
    # talent
    "talent:profile": {
        "-": Page(row(403, anonymous=LOGIN, student=200)),
    },
    "talent:edit": {
        "-": Page(row(403, anonymous=LOGIN, student=200), post=row(403, anonymous=LOGIN, student=200)),
    },
    "talent:privacy": {
        "-": Page(row(403, anonymous=LOGIN, student=200), post=row(403, anonymous=LOGIN, student=200)),
    },
    "talent:skills": {
        "-": Page(row(403, anonymous=LOGIN, student=200)),
    },
    "talent:skill_add": {
        "-": Page(row(403, anonymous=LOGIN, student=405), post=row(403, anonymous=LOGIN, student=200)),
    },
    "talent:skill_add_many": {
        "-": Page(row(403, anonymous=LOGIN, student=405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "talent:skill_suggest": {
        "-": Page(row(403, anonymous=LOGIN, student=302), post=row(403, anonymous=LOGIN, student=302)),
    },
    "talent:skill_level": {
        "skill:platform.amazon_seller_central": Page(
            row(403, anonymous=LOGIN, student=405),
            post=row(403, anonymous=LOGIN, student=302)),
        "skill:logistics.fba": Page(
            row(403, anonymous=LOGIN, student=405),
            post=row(403, anonymous=LOGIN, student=404)),
    },
    "talent:skill_remove": {
        "skill:platform.amazon_seller_central": Page(
            row(403, anonymous=LOGIN, student=405),
            post=row(403, anonymous=LOGIN, student=302)),
        "skill:logistics.fba": Page(
            row(403, anonymous=LOGIN, student=405),
            post=row(403, anonymous=LOGIN, student=404)),
    },
    "talent:language_add": {
        "-": Page(row(403, anonymous=LOGIN, student=405), post=row(403, anonymous=LOGIN, student=200)),
    },
    "talent:language_remove": {
        "lang:lang.en": Page(row(403, anonymous=LOGIN, student=405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "talent:students": {
        "-": Page(row(403, anonymous=LOGIN, university=200, admin=200)),
    },
    # jobs
    "jobs:list": {
        "-": Page(row(200)),
    },
    "jobs:mine": {
        "-": Page(row(403, anonymous=LOGIN, firm=200, other_firm=200, pending_firm=200)),
    },
    "jobs:create": {
        "-": Page(
            row(403, anonymous=LOGIN, firm=200, other_firm=200, pending_firm=200),
            post=row(403, anonymous=LOGIN, firm=200, other_firm=200, pending_firm=200)),
    },
    "jobs:detail": {
        "A.open": Page(row(200)),
        "A.draft": Page(row(404, firm=200, admin=200)),
        "B.draft": Page(row(404, other_firm=200, admin=200)),
    },
    "jobs:edit": {
        "A.open": Page(
            row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404),
            post=row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404)),
        "A.draft": Page(
            row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404),
            post=row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404)),
        "B.draft": Page(
            row(403, anonymous=LOGIN, firm=404, other_firm=200, pending_firm=404),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=200, pending_firm=404)),
    },
    "jobs:publish": {
        "A.draft": Page(
            row(403, anonymous=LOGIN, firm=405, other_firm=405, pending_firm=405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404)),
        "B.draft": Page(
            row(403, anonymous=LOGIN, firm=405, other_firm=405, pending_firm=405),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=302, pending_firm=404)),
    },
    "jobs:close": {
        "A.open": Page(
            row(403, anonymous=LOGIN, firm=405, other_firm=405, pending_firm=405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404)),
        "B.draft": Page(
            row(403, anonymous=LOGIN, firm=405, other_firm=405, pending_firm=405),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=302, pending_firm=404)),
    },
    "jobs:delete": {
        "A.draft": Page(
            row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404)),
        "B.open": Page(
            row(403, anonymous=LOGIN, firm=404, other_firm=200, pending_firm=404),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=302, pending_firm=404)),
    },
    # matching
    "matching:mine": {
        "-": Page(row(403, anonymous=LOGIN, student=200)),
    },
    "matching:mine_refresh": {
        "-": Page(row(405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "matching:vacancy": {
        "A.open": Page(row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404, admin=200)),
        "B.draft": Page(row(403, anonymous=LOGIN, firm=404, other_firm=200, pending_firm=404, admin=200)),
    },
    "matching:vacancy_refresh": {
        "A.open": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404, admin=302)),
        "B.draft": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=302, pending_firm=404, admin=302)),
    },
    # cohorts
    "cohorts:list": {
        "-": Page(row(200)),
    },
    "cohorts:create": {
        "-": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
    },
    "cohorts:mine": {
        "-": Page(row(403, anonymous=LOGIN, student=200)),
    },
    "cohorts:recommendations": {
        "-": Page(row(403, anonymous=LOGIN, student=200)),
    },
    "cohorts:insights": {
        "-": Page(row(403, anonymous=LOGIN, university=200, admin=200)),
    },
    "cohorts:detail": {
        "t:K.U": Page(row(200)),
        "t:K.U.draft": Page(row(404, university=200, admin=200)),
    },
    "cohorts:edit": {
        "t:K.U": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
        "t:K.V": Page(
            row(403, anonymous=LOGIN, university=404, admin=200),
            post=row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:join": {
        "t:K.U.open": Page(row(403, anonymous=LOGIN, student=405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "cohorts:leave": {
        "t:K.U": Page(row(403, anonymous=LOGIN, student=405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "cohorts:roster_add": {
        "t:K.U": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=302, admin=302)),
        "t:K.V": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=404, admin=302)),
    },
    "cohorts:roster_import": {
        "t:K.U": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
        "t:K.V": Page(
            row(403, anonymous=LOGIN, university=404, admin=200),
            post=row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:roster_template": {
        "t:K.U": Page(row(403, anonymous=LOGIN, university=200, admin=200)),
        "t:K.V": Page(row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:complete_all": {
        "t:K.U": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=302, admin=302)),
        "t:K.V": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=404, admin=302)),
    },
    "cohorts:outcomes": {
        "t:K.U": Page(row(200, anonymous=LOGIN)),
        "t:K.U.draft": Page(row(404, anonymous=LOGIN, university=200, admin=200)),
    },
    "cohorts:enrollment_edit": {
        "t:E.student": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=302, admin=302)),
        "t:E.other": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=404, admin=302)),
    },
    "cohorts:roster_import_detail": {
        "roster:U": Page(row(403, anonymous=LOGIN, university=200, admin=200)),
        "roster:V": Page(row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:roster_import_errors": {
        "roster:U": Page(row(403, anonymous=LOGIN, university=200, admin=200)),
        "roster:V": Page(row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:programme_list": {
        "-": Page(row(200)),
    },
    "cohorts:programme_create": {
        "-": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
    },
    "cohorts:programme_detail": {
        "t:P.U": Page(row(200)),
        "t:P.V.draft": Page(row(404, admin=200)),
    },
    "cohorts:programme_edit": {
        "t:P.U": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
        "t:P.V": Page(
            row(403, anonymous=LOGIN, university=404, admin=200),
            post=row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:partner_set": {
        "t:P.U": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=302, admin=302)),
        "t:P.V": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=404, admin=302)),
    },
    "cohorts:partner_remove": {
        "partner:P.U/A": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=302, admin=302)),
    },
    "cohorts:course_list": {
        "-": Page(row(200)),
    },
    "cohorts:course_create": {
        "-": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
    },
    "cohorts:course_detail": {
        "t:C.U": Page(row(200)),
        "t:C.U.inactive": Page(row(404, university=200, admin=200)),
    },
    "cohorts:course_edit": {
        "t:C.U": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
        "t:C.V": Page(
            row(403, anonymous=LOGIN, university=404, admin=200),
            post=row(403, anonymous=LOGIN, university=404, admin=200)),
    },
    "cohorts:placements": {
        "-": Page(row(200, anonymous=LOGIN, government=403)),
    },
    "cohorts:placement_create": {
        "-": Page(
            row(403, anonymous=LOGIN, university=200, admin=200),
            post=row(403, anonymous=LOGIN, university=200, admin=200)),
    },
    "cohorts:placement_delete": {
        "t:PL.A": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=302, admin=302)),
        "t:PL.B": Page(
            row(403, anonymous=LOGIN, university=405, admin=405),
            post=row(403, anonymous=LOGIN, university=404, admin=302)),
    },
    # applications
    "applications:firm": {
        "-": Page(row(200, anonymous=LOGIN, student=403, university=403, government=403)),
    },
    "applications:mine": {
        "-": Page(row(403, anonymous=LOGIN, student=200)),
    },
    "applications:apply": {
        "A.open": Page(row(403, anonymous=LOGIN, student=200), post=row(403, anonymous=LOGIN, student=200)),
        "A.draft": Page(row(403, anonymous=LOGIN, student=404), post=row(403, anonymous=LOGIN, student=404)),
    },
    "applications:detail": {
        "app:A.open": Page(
            row(404, anonymous=LOGIN, student=200, firm=200, admin=200),
            post=row(404, anonymous=LOGIN, student=200, firm=200, admin=200)),
    },
    "applications:accept": {
        "inv:A.open": Page(row(405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "applications:decline": {
        "inv:A.open": Page(row(405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "applications:withdraw": {
        "app:A.open": Page(row(405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "applications:withdraw_consent": {
        "app:A.open": Page(row(405), post=row(403, anonymous=LOGIN, student=302)),
    },
    "applications:move": {
        "app:A.open": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404, admin=302)),
    },
    "applications:outcome": {
        "hire:A.open": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404, admin=302)),
    },
    "applications:board": {
        "A.open": Page(row(403, anonymous=LOGIN, firm=200, other_firm=404, pending_firm=404, admin=200)),
        "B.draft": Page(row(403, anonymous=LOGIN, firm=404, other_firm=200, pending_firm=404, admin=200)),
    },
    "applications:bulk": {
        "A.open": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404, admin=302)),
        "B.draft": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=302, pending_firm=404, admin=302)),
    },
    "applications:invite": {
        "A.open": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=302, other_firm=404, pending_firm=404, admin=302)),
        "B.draft": Page(
            row(405),
            post=row(403, anonymous=LOGIN, firm=404, other_firm=302, pending_firm=404, admin=302)),
    },
    # notifications
    "notifications:list": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
    "notifications:open": {
        "note:student": Page(row(404, anonymous=LOGIN, student=302), post=row(404, anonymous=LOGIN, student=302)),
        "note:firm": Page(row(404, anonymous=LOGIN, firm=302), post=row(404, anonymous=LOGIN, firm=302)),
    },
    "notifications:read_all": {
        "-": Page(row(405), post=row(302, anonymous=LOGIN)),
    },
    "notifications:settings": {
        "-": Page(row(200, anonymous=LOGIN), post=row(200, anonymous=LOGIN)),
    },
    "notifications:unsubscribe": {
        "unsubscribe:student": Page(row(200), post=row(200)),
        "unsubscribe:bad": Page(row(400), post=row(400)),
    },
    # privacy: every signed-in user's own data page, export and deletion; the audit trail for platform admins
    "privacy:data": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
    "privacy:consent": {
        "-": Page(row(405), post=row(302, anonymous=LOGIN)),  # an empty form: the error comes as a message
    },
    "privacy:firm_withdraw": {
        # only students have consents given to firms
        "-": Page(row(405), post=row(403, anonymous=LOGIN, student=302),
                  data=lambda world: {"firm": world["orgs"]["A"].pk}),
    },
    "privacy:export_json": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
    "privacy:export_html": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
    "privacy:delete": {
        # a wrong password: the form's errors (deleting for real is tests/privacy's)
        "-": Page(row(200, anonymous=LOGIN), post=row(400, anonymous=LOGIN), data={"password": "not the password"}),
    },
    "privacy:audit": {
        "-": Page(ADMIN_ONLY),
    },
    # reports: government users and platform admins (a finished report ``rep:done``, a queued one ``rep:pending``,
    # see seed_reports); the match-run review (``mrun``) for platform admins only
    "reports:index": {
        "-": Page(REPORT_READERS),
    },
    "reports:build": {
        "-": Page(row(403, anonymous=LOGIN, government=405, admin=405),
                  post=row(403, anonymous=LOGIN, government=400, admin=400)),  # an empty form: no period
    },
    "reports:find": {
        # no filters: the newest finished report (rep:done)
        "-": Page(row(403, anonymous=LOGIN, government=302, admin=302),
                  post=row(403, anonymous=LOGIN, government=405, admin=405)),
    },
    "reports:detail": {
        "rep:done": Page(REPORT_READERS),
        "rep:pending": Page(REPORT_READERS),  # its progress
    },
    "reports:progress": {
        "rep:pending": Page(REPORT_READERS),
    },
    "reports:print": {
        "rep:done": Page(REPORT_READERS),
        "rep:pending": Page(row(403, anonymous=LOGIN, government=404, admin=404)),  # not built yet
    },
    "reports:export": {
        "export:done/funnel/csv": Page(REPORT_READERS),
        "export:done/funnel/xlsx": Page(REPORT_READERS),
        "export:done/nothing/csv": Page(row(403, anonymous=LOGIN, government=404, admin=404)),
        "export:pending/funnel/csv": Page(row(403, anonymous=LOGIN, government=404, admin=404)),
    },
    "reports:runs": {
        "-": Page(ADMIN_ONLY),
    },
    "reports:run_detail": {
        "mrun": Page(ADMIN_ONLY),
    },
    "reports:run_review": {
        "mrun": Page(row(403, anonymous=LOGIN, admin=405), post=row(403, anonymous=LOGIN, admin=400)),
    },
    "reports:run_comment": {
        "mrun": Page(row(403, anonymous=LOGIN, admin=405), post=row(403, anonymous=LOGIN, admin=400)),
    },
    # imports
    "imports:index": {
        "-": Page(
            row(403, anonymous=LOGIN, firm=200, other_firm=200, university=200),
            post=row(403, anonymous=LOGIN, firm=200, other_firm=200, university=200)),
    },
    "imports:upload": {
        "kind:profiles": Page(
            row(403, anonymous=LOGIN, university=302),
            post=row(403, anonymous=LOGIN, university=400)),
        "kind:vacancies": Page(
            row(403, anonymous=LOGIN, firm=302, other_firm=302),
            post=row(403, anonymous=LOGIN, firm=400, other_firm=400)),
    },
    "imports:template": {
        "kind:profiles": Page(
            row(403, anonymous=LOGIN, university=200),
            post=row(403, anonymous=LOGIN, university=200)),
        "kind:vacancies": Page(
            row(403, anonymous=LOGIN, firm=200, other_firm=200),
            post=row(403, anonymous=LOGIN, firm=200, other_firm=200)),
    },
    # web
    "web:home": {
        "-": Page(row(200)),
    },
    "web:dashboard": {
        "-": Page(row(200, anonymous=LOGIN)),
    },
}


def _namespace(route: str) -> str:
    """Pages are tested a namespace at a time (one world each); application pages one by one, since the
    application, the invitation and the hire their targets name are the same student's on the same vacancy."""
    if route.startswith("applications:"):
        return route
    return route.split(":")[0] if ":" in route else "root"


NAMESPACES = sorted({_namespace(route) for route in PAGES})


@pytest.mark.django_db
@pytest.mark.parametrize("namespace", NAMESPACES)
def test_page_matrix(world, namespace):
    """Every page of one URL namespace × target × method × role answers as the table says (one world per
    namespace: building it per page would take minutes)."""
    _page_world(world)
    wrong = []
    cells = 0
    for route, targets in PAGES.items():
        if _namespace(route) != namespace:
            continue
        for target, page in targets.items():
            for method, expected in (("get", page.get), ("post", page.post)):
                if expected is None:
                    continue
                answers = _answers(world, route, target, method, page.data if method == "post" else None)
                cells += len(answers)
                wrong += [f"{method.upper()} {route}[{target}] as {role}: expected {expected[role]}, got {answer}"
                          for role, answer in answers.items() if answer != expected[role]]
    assert cells and not wrong, "\n".join(wrong)


def test_table_names_every_role_and_no_server_error():
    for route, targets in PAGES.items():
        for target, page in targets.items():
            for expected in (page.get, page.post):
                if expected is None:
                    continue
                assert set(expected) == set(ROLES), (route, target)
                assert all(value == LOGIN or 200 <= value < 500 for value in expected.values()), (route, target)
            # Anonymous callers never get a 2xx from a page that refuses some signed-in role.
            refused = [code for role, code in page.get.items() if role != "anonymous" and code in (403, LOGIN)]
            if refused:
                assert page.get["anonymous"] == LOGIN, (route, target)


def _routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from _routes(pattern.url_patterns, f"{namespace}:{inner}" if namespace and inner else
                               inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def test_every_page_route_is_in_the_matrix():
    """Every named route that is not the API, its schema/docs or the Django admin has a row (outside
    ``NOT_YET_IN_MATRIX``)."""
    routes = set()
    for name, pattern in _routes(get_resolver().url_patterns):
        module = pattern.callback.__module__
        if name.startswith(("api:", "admin:")) or name in ("schema", "api-docs", "api-redoc") \
                or module.startswith(NOT_YET_IN_MATRIX):
            continue
        routes.add(name)
    assert routes - set(PAGES) == set(), "add these pages to PAGES"
    assert set(PAGES) - routes == set(), "these pages no longer exist"
