from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate, pre_delete


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Tonearm"

    def ready(self) -> None:
        from core.accounts.models import User
        from core.insights.services import insights_forget_deleted_account
        from core.roles import sync_role_groups

        # The role groups hold permissions of core and media_pipeline, so they are synced once
        # the later of the two has had its permissions created (post_migrate runs per app).
        post_migrate.connect(sync_role_groups, sender=apps.get_app_config("media_pipeline"))
        # However an account is deleted (the admin, a shell), its listens leave the counters
        # that outlive it (a track's listen count), as when its history is cleared.
        pre_delete.connect(insights_forget_deleted_account, sender=User)
