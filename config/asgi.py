import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from config.startup import (  # noqa: E402 (needs settings loaded)
    check_static_files_collected,
    freeze_loaded_objects,
)

check_static_files_collected()
freeze_loaded_objects()
