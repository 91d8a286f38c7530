from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "apps.skills"
    label = "skills"
    verbose_name = _("Skills taxonomy")

    def ready(self):
        from . import signals  # noqa: F401
