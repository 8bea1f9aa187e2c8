from django.core.management.base import BaseCommand

from core.accounts.app_passwords import app_passwords_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every app password under the first key of APP_PASSWORD_KEYS (and re-hash "
        "it for apiKey lookup). Run after putting a new key first; then the old keys can go."
    )

    def handle(self, *args, **options) -> None:
        rewritten = app_passwords_rotate()
        self.stdout.write(f"Re-encrypted {rewritten} app password(s) under the first key.")
