from django.apps import AppConfig
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Tonearm"

    def ready(self) -> None:
        from config.connections import drop_closed_connections
        from core.accounts import app_passwords
        from core.accounts.models import AppPassword, User
        from core.artists.feed import on_track_ready
        from core.artists.services import follows_forget_deleted_account
        from core.catalog.signals import track_ready, tracks_hidden
        from core.insights.services import insights_forget_deleted_account
        from core.ratings.services import ratings_forget_deleted_account
        from core.reports.services import reports_resolve_hidden_tracks
        from core.roles import sync_role_groups

        # Instead of CONN_HEALTH_CHECKS' round trip per request (config/connections.py).
        request_started.connect(drop_closed_connections, dispatch_uid="drop_closed_connections")
        tracks_hidden.connect(reports_resolve_hidden_tracks, dispatch_uid="reports_on_hide")
        track_ready.connect(on_track_ready, dispatch_uid="artists_feed_on_ready")

        # Runs once core's permissions exist (post_migrate runs per app, permissions first).
        post_migrate.connect(sync_role_groups, sender=self)
        # However an account is deleted (the admin, a shell), its listens leave the counters
        # that outlive it (a track's listen count), as when its history is cleared.
        pre_delete.connect(insights_forget_deleted_account, sender=User)
        # Likewise its follows and ratings leave the counters kept on artists, tracks, albums.
        pre_delete.connect(follows_forget_deleted_account, sender=User)
        pre_delete.connect(ratings_forget_deleted_account, sender=User)
        # Successful app password checks are remembered briefly in the process: revoking one,
        # deactivating or deleting the account forgets them at once (core/accounts/app_passwords).
        post_delete.connect(app_passwords.forget_on_app_password_delete, sender=AppPassword)
        post_save.connect(app_passwords.forget_on_account_save, sender=User)
        pre_delete.connect(app_passwords.forget_on_account_delete, sender=User)
