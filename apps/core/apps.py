from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "apps.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from apps.core import respcache

        respcache.connect()  # cached API answers are invalidated by the model changes they depend on
