"""waonboard: put phone numbers on WhatsApp Business through Meta's Cloud API, Vonage's
WhatsApp Provisioning API or the 99digital Partners API.

    import waonboard
    client = waonboard.MetaClient("EAAG…")
    client.request_code(phone_number_id="106540352242922", code_method="sms", language="en_US")

``prepare``/``parse`` build requests and read answers without any I/O; the clients add
safe retries, 99digital tokens, Meta paging, Vonage polling and guards; ``waonboard.aio``
has the same clients with ``async`` methods.

The native library loads on first use, not on import, so that importing waonboard
costs an app's start-up next to nothing; the blocking clients and ``prepare``/``parse``
reach it through ctypes and never import asyncio (``waonboard.aio`` does).
``__init__.pyi`` gives type checkers every name.
"""

__version__ = "0.1.0"

from ._errors import (
    AuthError,
    ConflictError,
    DecodeError,
    GuardError,
    InvalidRequestError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    TimeoutError,
    TransportError,
    ValidationError,
    VerificationFailedError,
    WaonboardError,
)

# Where each lazily loaded name lives.
_LAZY = {
    "HttpRequest": "_http",
    "HttpResponse": "_http",
    "operations": "_http",
    "parse": "_http",
    "prepare": "_http",
    "Transport": "_http",
    "MetaClient": "_sync",
    "VonageClient": "_sync",
    "Digital99Client": "_sync",
    "MetaOnboarding": "_sync",
    "VonageOnboarding": "_sync",
    "Digital99Onboarding": "_sync",
    "PreverifiedVerification": "_sync",
    "aio": "",
    "types": "",
}

# TimeoutError is left out of __all__ so that `import *` cannot shadow the builtin.
__all__ = [
    "AuthError",
    "ConflictError",
    "DecodeError",
    "Digital99Client",
    "Digital99Onboarding",
    "GuardError",
    "HttpRequest",
    "HttpResponse",
    "InvalidRequestError",
    "MetaClient",
    "MetaOnboarding",
    "NotFoundError",
    "PreverifiedVerification",
    "ProviderError",
    "RateLimitedError",
    "Transport",
    "TransportError",
    "ValidationError",
    "VerificationFailedError",
    "VonageClient",
    "VonageOnboarding",
    "WaonboardError",
    "operations",
    "parse",
    "prepare",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'waonboard' has no attribute {name!r}")
    import importlib

    if module == "":
        value: object = importlib.import_module(f"{__name__}.{name}")
    else:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> "list[str]":
    return sorted(set(globals()) | set(_LAZY))


for _error in (
    AuthError,
    ConflictError,
    DecodeError,
    GuardError,
    InvalidRequestError,
    NotFoundError,
    ProviderError,
    RateLimitedError,
    TimeoutError,
    TransportError,
    ValidationError,
    VerificationFailedError,
    WaonboardError,
):
    _error.__module__ = __name__
del _error
