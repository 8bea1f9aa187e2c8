"""Admin registrations live next to each topic; importing them here lets Django find them."""

from django.contrib import admin

from core.accounts import admin as accounts_admin  # noqa: F401
from core.artists import admin as artists_admin  # noqa: F401 (imports and extends catalog's)
from core.catalog import admin as catalog_admin  # noqa: F401
from core.history_import import admin as history_import_admin  # noqa: F401
from core.library import admin as library_admin  # noqa: F401
from core.lyrics import admin as lyrics_admin  # noqa: F401
from core.playlists import admin as playlists_admin  # noqa: F401
from core.processing import admin as processing_admin  # noqa: F401
from core.reports import admin as reports_admin  # noqa: F401
from core.uploads import admin as uploads_admin  # noqa: F401

admin.site.site_header = "Tonearm administration"
admin.site.site_title = "Tonearm admin"
admin.site.index_title = "Catalog, listeners and media processing"
