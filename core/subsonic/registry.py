"""The Subsonic methods by name, each a function of a Call returning a payload (or a response,
for media)."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse

from core.subsonic.params import Params


@dataclass
class Call:
    request: HttpRequest
    params: Params
    user: Any  # the account the credentials opened; None for public methods
    client: str


Handler = Callable[[Call], dict | HttpResponse]


@dataclass(frozen=True)
class Method:
    handler: Handler
    public: bool


METHODS: dict[str, Method] = {}


def method(*names: str, public: bool = False) -> Callable[[Handler], Handler]:
    """Register `handler` under each of `names`; a public one answers without credentials."""

    def register(handler: Handler) -> Handler:
        for name in names:
            METHODS[name] = Method(handler, public)
        return handler

    return register
