import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_networks


def test_a_non_integer_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("UPLOAD_MAX_BYTES", "lots")
    with pytest.raises(ImproperlyConfigured, match="UPLOAD_MAX_BYTES"):
        env_int("UPLOAD_MAX_BYTES", 10)


def test_an_integer_below_its_minimum_is_refused(monkeypatch):
    monkeypatch.setenv("STREAM_URL_EXPIRY_SECONDS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("STREAM_URL_EXPIRY_SECONDS", 300, minimum=1)


def test_an_unknown_storage_backend_is_refused(monkeypatch):
    monkeypatch.setenv("STORAGE_BACKEND", "ftp")
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND must be one of local, s3"):
        env_choice("STORAGE_BACKEND", "local", ("local", "s3"))


def test_booleans_accept_common_spellings_and_refuse_others(monkeypatch):
    monkeypatch.setenv("DEBUG", "Yes")
    assert env_bool("DEBUG") is True
    monkeypatch.setenv("DEBUG", "0")
    assert env_bool("DEBUG") is False
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")


def test_lists_are_split_on_commas_and_trimmed(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " api.example.com, ,cdn.example.com ")
    assert env_list("ALLOWED_HOSTS") == ["api.example.com", "cdn.example.com"]


def test_trusted_proxies_must_be_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "10.0.0.0/8, proxy.internal")
    with pytest.raises(ImproperlyConfigured, match=r"TRUSTED_PROXY_IPS .*'proxy\.internal'"):
        env_networks("TRUSTED_PROXY_IPS", "127.0.0.1")


def test_trusted_proxies_accept_addresses_and_networks_of_both_families(monkeypatch):
    monkeypatch.setenv("TRUSTED_PROXY_IPS", "10.0.0.0/8,::1,172.18.0.2")
    assert env_networks("TRUSTED_PROXY_IPS", "127.0.0.1") == ["10.0.0.0/8", "::1", "172.18.0.2"]
