"""The notifications the pipeline sends: invitations to students, stage changes to the other side.

Each message is written in its recipient's language and keyed by the event it reports, so the same event
never notifies twice (``apps.notifications.services.notify``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.notifications.services import notify, user_language

from .models import ActorRole, Application, ApplicationEvent, Stage


def _student_url() -> str:
    return reverse("applications:mine")


def _board_url(application: Application) -> str:
    return reverse("applications:board", kwargs={"vacancy_id": application.vacancy_id})


def _firm_members(application: Application):
    return User.objects.filter(memberships__organisation_id=application.vacancy.firm_id, is_active=True).distinct()


def invitation_sent(application: Application) -> None:
    """Tell the student a firm invited them to apply."""
    student = application.profile.user
    with translation.override(user_language(student)):
        subject = _("%(firm)s invites you to apply: %(title)s") % {
            "firm": application.vacancy.firm.name, "title": application.vacancy.title}
        body = _("%(firm)s found your profile a strong match for “%(title)s” and invites you to apply. Accept to "
                 "share your contact details with the firm, or decline.") % {
            "firm": application.vacancy.firm.name, "title": application.vacancy.title}
        if application.invite_message:
            body += "\n\n" + _("Their message: %(message)s") % {"message": application.invite_message}
        notify(user=student, kind="invitation", event_key=f"invitation:{application.pk}", subject=subject,
               body=body, url=_student_url())


_STUDENT_TEXT = {
    Stage.SHORTLISTED: lambda: _("You are on the shortlist for “%(title)s” at %(firm)s."),
    Stage.INTERVIEW: lambda: _("%(firm)s would like to interview you for “%(title)s”."),
    Stage.OFFER: lambda: _("%(firm)s is making you an offer for “%(title)s”."),
    Stage.HIRED: lambda: _("Congratulations: %(firm)s hired you as “%(title)s”."),
    Stage.REJECTED: lambda: _("%(firm)s decided not to go ahead with your application for “%(title)s”."),
}

_FIRM_TEXT = {
    Stage.APPLIED: lambda: _("%(student)s applied to “%(title)s”."),
    Stage.DECLINED: lambda: _("%(student)s declined your invitation to “%(title)s”."),
    Stage.WITHDRAWN: lambda: _("%(student)s withdrew their application to “%(title)s”."),
}


def stage_changed(event: ApplicationEvent) -> None:
    """Tell the other side about a stage change: the student when the firm moved it, the firm's members when
    the student did."""
    application = event.application
    names = {"title": application.vacancy.title, "firm": application.vacancy.firm.name,
             "student": application.profile.full_name or application.profile.user.email}
    if event.actor_role in (ActorRole.FIRM, ActorRole.ADMIN) and event.to_stage in _STUDENT_TEXT:
        student = application.profile.user
        with translation.override(user_language(student)):
            text = _STUDENT_TEXT[event.to_stage]() % names
            if event.to_stage == Stage.REJECTED and event.reason:
                text += " " + _("Reason given: %(reason)s") % {"reason": event.reason}
            notify(user=student, kind="stage", event_key=f"stage:{event.pk}",
                   subject=_("Update on your application: %(title)s") % names, body=text, url=_student_url())
    elif event.actor_role == ActorRole.STUDENT and event.to_stage in _FIRM_TEXT:
        for member in _firm_members(application):
            with translation.override(user_language(member)):
                text = _FIRM_TEXT[event.to_stage]() % names
                notify(user=member, kind="stage", event_key=f"stage:{event.pk}:{member.pk}",
                       subject=_("Pipeline update: %(title)s") % names, body=text, url=_board_url(application))


def outcome_due(application: Application, months: int) -> None:
    """Remind the firm's members to confirm whether a hire stayed ``months`` months."""
    names = {"title": application.vacancy.title,
             "student": application.profile.full_name or application.profile.user.email, "months": months}
    for member in _firm_members(application):
        with translation.override(user_language(member)):
            notify(user=member, kind="outcome", event_key=f"outcome:{application.pk}:{months}:{member.pk}",
                   subject=_("Did %(student)s stay %(months)d months?") % names,
                   body=_("%(student)s started as “%(title)s” %(months)d months ago. Please confirm on the pipeline "
                          "board whether they are still with you: it feeds the placement figures.") % names,
                   url=_board_url(application))
