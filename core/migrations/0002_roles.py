from django.contrib.auth.management import create_permissions
from django.db import migrations

# The roles as they were when this migration was written: later additions to core.roles may name
# models that do not exist yet at this point of a fresh migrate. sync_role_groups (after every
# migrate) brings the groups up to date.
UPLOADERS = "Uploaders"
MODERATORS = "Moderators"
UPLOADER_PERMISSIONS = ["core.upload_track"]
MODERATOR_PERMISSIONS = [
    "core.view_track",
    "core.change_track",
    "core.delete_track",
    "core.moderate_track",
    "core.view_artist",
    "core.change_artist",
    "core.view_album",
    "core.change_album",
    "core.view_genre",
    "core.change_genre",
    "core.view_user",
    "core.view_play",
    "core.view_favorite",
    "core.view_playlist",
    "core.view_playlistitem",
    "core.view_playlistshare",
    "media_pipeline.view_upload",
]


def create_role_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        # The historical models, not today's: Upload was media_pipeline's then.
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(names):
        found = []
        for name in names:
            app_label, codename = name.split(".")
            found.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return found

    uploaders, _ = Group.objects.get_or_create(name=UPLOADERS)
    uploaders.permissions.set(permissions(UPLOADER_PERMISSIONS))
    moderators, _ = Group.objects.get_or_create(name=MODERATORS)
    moderators.permissions.set(permissions(MODERATOR_PERMISSIONS))


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[UPLOADERS, MODERATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("media_pipeline", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
