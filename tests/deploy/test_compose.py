"""docker-compose.yml stays a thin wrapper around what the tests run: real manage.py commands,
real settings from .env.example, services wired to each other. Docker itself is not run."""

import json
import re
import secrets
from urllib.parse import urlsplit

import pytest
import yaml
from django.core.management import get_commands, load_command_class

from config.env import read_env_file
from tests.deploy.conftest import ROOT, manage, production_env, run_python
from tests.deploy.test_env_example import (
    STACK_ONLY_VARIABLES,
    env_example_variables,
    settings_variables,
)

COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
TONEARM = {name: s for name, s in SERVICES.items() if s.get("image") == "tonearm:latest"}
DOTENV = {  # what an operator sets in .env, copied from .env.example
    "SECRET_KEY": secrets.token_urlsafe(50),
    "APP_PASSWORD_KEYS": "dGVzdC1rZXktZm9yLWFwcC1wYXNzd29yZHMtMzJieXQ=",
    "ALLOWED_HOSTS": "tonearm.example.com",
    "PUBLIC_BASE_URL": "https://tonearm.example.com",
    "AWS_S3_PUBLIC_ENDPOINT_URL": "https://media.example.com",
    "POSTGRES_PASSWORD": "p@ss:w/rd#?%&=x y",  # what a password generator may well produce
    "AWS_ACCESS_KEY_ID": "tonearm-app",
    "AWS_SECRET_ACCESS_KEY": "app-secret",
    "MINIO_ROOT_USER": "minio-admin",
    "MINIO_ROOT_PASSWORD": "admin-secret",
}
_REFERENCE = re.compile(r"\$\{([A-Za-z0-9_]+)(?:(:?[-?])([^}]*))?\}")


def interpolate(value: str, variables: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}; `$$` is a literal `$`."""

    def replace(match: re.Match) -> str:
        name, operator, argument = match.groups()
        if variables.get(name):
            return variables[name]
        if operator and operator.endswith("?"):
            raise KeyError(argument)
        return argument if operator else ""

    return _REFERENCE.sub(replace, value).replace("$$", "$")


def referenced_variables() -> set[str]:
    text = (ROOT / "docker-compose.yml").read_text()
    return {name for name, _, _ in _REFERENCE.findall(text)}


def stack_environment(service: str) -> dict[str, str]:
    return {
        name: interpolate(str(value), DOTENV)
        for name, value in TONEARM[service]["environment"].items()
    }


def container_environment(service: str) -> dict[str, str]:
    """What a Tonearm container's process sees: the image's ENV, then .env (.env.example as the
    operator filled it in), then the service's own `environment`."""
    image = {"DATA_DIR": "/data", "PORT": "8000", "DJANGO_SETTINGS_MODULE": "config.settings"}
    dotenv = {**read_env_file(ROOT / ".env.example"), **DOTENV}
    return {**image, **dotenv, **stack_environment(service)}


def test_the_stack_runs_web_worker_sweeper_and_a_one_shot_migrate_from_one_image():
    assert set(TONEARM) == {"migrate", "web", "worker", "sweeper"}
    assert all(service["build"] == "." for service in TONEARM.values())
    assert {"db", "redis", "minio", "minio-setup"} <= set(SERVICES)
    assert SERVICES["db"]["image"] == "postgres:15"
    assert SERVICES["redis"]["image"] == "redis:7"


def test_minio_images_are_pinned_to_a_release():
    for service in ("minio", "minio-setup"):
        assert re.fullmatch(
            r"minio/(minio|mc):RELEASE\.\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ",
            SERVICES[service]["image"],
        ), service


def test_every_variable_the_stack_sets_is_a_setting_listed_in_env_example():
    known = settings_variables() & env_example_variables()
    for name, service in TONEARM.items():
        assert set(service["environment"]) <= known, name
        assert service["env_file"] == ".env"  # SECRET_KEY and the rest, from .env.example


def test_every_variable_the_stack_reads_from_env_is_in_env_example():
    assert referenced_variables() - STACK_ONLY_VARIABLES <= env_example_variables()


def test_every_command_the_stack_runs_is_a_manage_py_command_with_valid_options():
    commands = get_commands()
    for name, service in TONEARM.items():
        if name == "web":
            continue  # the image's own command
        program, script, command, *args = service["command"]
        assert (program, script) == ("python", "manage.py"), name
        assert command in commands, name
        parser = load_command_class(commands[command], command).create_parser("manage.py", command)
        parser.parse_args(args)  # raises CommandError on an unknown option


def test_the_web_service_runs_the_images_gunicorn():
    assert "command" not in TONEARM["web"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"gunicorn", "--config", "config/gunicorn.py", "config.wsgi:application"' in dockerfile
    assert TONEARM["web"]["ports"] == ["8000:8000"]


def test_the_worker_serves_the_queue_the_settings_choose():
    environment = stack_environment("worker")
    assert environment["TASKS_BACKEND"] == "db"
    assert TONEARM["worker"]["command"][2] == "db_worker"
    assert TONEARM["sweeper"]["command"][2:] == ["sweep_stale_jobs", "--every", "60"]


def test_the_urls_point_at_services_of_the_stack():
    environment = stack_environment("web")
    default_ports = {"DATABASE_URL": 5432, "REDIS_URL": 6379, "AWS_S3_ENDPOINT_URL": 9000}
    hosts = {"DATABASE_URL": "db", "REDIS_URL": "redis", "AWS_S3_ENDPOINT_URL": "minio"}
    for variable, port in default_ports.items():
        url = urlsplit(environment[variable])
        assert (url.hostname, url.port) == (hosts[variable], port), variable
    assert environment["STORAGE_BACKEND"] == "s3"
    assert environment["AWS_S3_ADDRESSING_STYLE"] == "path"
    assert environment["DEBUG"] == "false"


def test_tonearm_uses_its_own_minio_user_not_the_administrator():
    minio = {k: interpolate(v, DOTENV) for k, v in SERVICES["minio"]["environment"].items()}
    web = container_environment("web")

    assert (minio["MINIO_ROOT_USER"], minio["MINIO_ROOT_PASSWORD"]) == (
        DOTENV["MINIO_ROOT_USER"],
        DOTENV["MINIO_ROOT_PASSWORD"],
    )
    assert web["AWS_ACCESS_KEY_ID"] != minio["MINIO_ROOT_USER"]
    assert not {"MINIO_ROOT_USER", "MINIO_ROOT_PASSWORD"} & set(TONEARM["web"]["environment"])
    setup = {k: interpolate(v, DOTENV) for k, v in SERVICES["minio-setup"]["environment"].items()}
    assert (setup["APP_ACCESS_KEY"], setup["APP_SECRET_KEY"]) == (
        web["AWS_ACCESS_KEY_ID"],
        web["AWS_SECRET_ACCESS_KEY"],
    )
    script = interpolate(SERVICES["minio-setup"]["command"][0], {})
    assert 'mc mb --ignore-existing "stack/$BUCKET"' in script
    assert 'mc admin user add stack "$APP_ACCESS_KEY" "$APP_SECRET_KEY"' in script
    assert 'mc admin policy attach stack tonearm-app --user "$APP_ACCESS_KEY"' in script


def test_tonearms_minio_policy_covers_its_bucket_only():
    setup = {k: interpolate(v, DOTENV) for k, v in SERVICES["minio-setup"]["environment"].items()}
    bucket = container_environment("web")["AWS_STORAGE_BUCKET_NAME"]
    assert setup["BUCKET"] == bucket == "tonearm"

    policy = json.loads(setup["APP_POLICY"])

    resources = {r for statement in policy["Statement"] for r in statement["Resource"]}
    actions = {a for statement in policy["Statement"] for a in statement["Action"]}
    assert resources == {f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"}
    assert all(statement["Effect"] == "Allow" for statement in policy["Statement"])
    assert not any("*" in action or action.startswith("admin:") for action in actions)
    # What media_pipeline/storage/s3.py calls: objects, multipart uploads, the bucket ping.
    assert {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"} <= actions
    assert {"s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"} <= actions
    assert "s3:ListBucketMultipartUploads" in actions


def test_the_images_data_dir_is_not_overridden_by_env_example():
    assert container_environment("web")["DATA_DIR"] == "/data"


def test_the_database_password_reaches_the_settings_whatever_its_characters(tmp_path):
    env = production_env(tmp_path, **container_environment("web"))
    env["DATA_DIR"] = str(tmp_path / "data")
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.DATABASES['default']; print(repr((d['USER'], d['PASSWORD'], d['HOST'])))"
    )

    result = run_python(show, env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(("tonearm", DOTENV["POSTGRES_PASSWORD"], "db"))
    assert DOTENV["POSTGRES_PASSWORD"] not in result.stderr


def test_signed_urls_name_the_public_endpoint_not_minio_9000():
    web = container_environment("web")

    assert web["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
    assert web["AWS_S3_PUBLIC_ENDPOINT_URL"] == DOTENV["AWS_S3_PUBLIC_ENDPOINT_URL"]


def test_services_start_once_what_they_need_is_healthy_or_done():
    for name in ("web", "worker", "sweeper"):
        needs = TONEARM[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["minio-setup"]["condition"] == "service_completed_successfully"
        for dependency in ("db", "redis", "minio"):
            assert needs[dependency]["condition"] == "service_healthy"
            assert SERVICES[dependency]["healthcheck"]["test"][0] == "CMD"
    assert TONEARM["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert SERVICES["minio-setup"]["depends_on"]["minio"]["condition"] == "service_healthy"
    # The image's HTTP healthcheck means nothing where no web server listens.
    for name in ("migrate", "worker", "sweeper"):
        assert TONEARM[name]["healthcheck"] == {"disable": True}


def test_a_missing_secret_stops_compose_before_anything_starts():
    without_password = {k: v for k, v in DOTENV.items() if k != "POSTGRES_PASSWORD"}
    with pytest.raises(KeyError, match=r"set POSTGRES_PASSWORD in \.env"):
        interpolate(TONEARM["web"]["environment"]["DATABASE_PASSWORD"], without_password)


def test_the_stack_environment_starts_tonearm_and_passes_the_deploy_checks(tmp_path):
    env = production_env(tmp_path, **container_environment("web"))
    env["DATA_DIR"] = str(tmp_path / "data")  # /data in the image

    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout
