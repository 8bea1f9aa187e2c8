from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Tonearm"

    def ready(self) -> None:
        from core.roles import sync_role_groups

        # Runs once core's permissions exist (post_migrate runs per app, permissions first).
        post_migrate.connect(sync_role_groups, sender=self)
