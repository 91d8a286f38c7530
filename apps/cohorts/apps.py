from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "apps.cohorts"
    label = "cohorts"
    verbose_name = _("Training programmes and cohorts")
