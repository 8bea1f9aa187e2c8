import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.startup import (  # noqa: E402 (needs settings loaded)
    check_static_files_collected,
    freeze_loaded_objects,
)

check_static_files_collected()
freeze_loaded_objects()
