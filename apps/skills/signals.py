"""Load the shipped taxonomy after ``migrate`` so a fresh database is usable at once."""

from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def load_taxonomy_after_migrate(sender, app_config=None, using="default", **kwargs):
    if app_config is None or app_config.label != "skills":
        return
    from .services import taxonomy_load_shipped

    taxonomy_load_shipped(only_if_changed=True, using=using)
