# The names `waonboard` offers; most load lazily at run time (see __init__.py).
__version__: str
from . import aio as aio
from . import types as types
from ._clients import Transport as Transport
from ._errors import AuthError as AuthError
from ._errors import ConflictError as ConflictError
from ._errors import DecodeError as DecodeError
from ._errors import GuardError as GuardError
from ._errors import InvalidRequestError as InvalidRequestError
from ._errors import NotFoundError as NotFoundError
from ._errors import ProviderError as ProviderError
from ._errors import RateLimitedError as RateLimitedError
from ._errors import TimeoutError as TimeoutError
from ._errors import TransportError as TransportError
from ._errors import ValidationError as ValidationError
from ._errors import VerificationFailedError as VerificationFailedError
from ._errors import WaonboardError as WaonboardError
from ._http import HttpRequest as HttpRequest
from ._http import HttpResponse as HttpResponse
from ._http import operations as operations
from ._http import parse as parse
from ._http import prepare as prepare
from ._sync import Digital99Client as Digital99Client
from ._sync import Digital99Onboarding as Digital99Onboarding
from ._sync import MetaClient as MetaClient
from ._sync import MetaOnboarding as MetaOnboarding
from ._sync import PreverifiedVerification as PreverifiedVerification
from ._sync import VonageClient as VonageClient
from ._sync import VonageOnboarding as VonageOnboarding

__all__: list[str]
