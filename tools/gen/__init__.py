"""The surface generators of tools/gen_surfaces.py, and what they share."""

from typing import Any, Dict, Iterator, List

Schema = Dict[str, Any]


def operations(schema: Schema, provider: str = "") -> List[Dict[str, Any]]:
    """The operations, in the contract's order; of one provider if named."""
    return [op for op in schema["operations"] if not provider or op["provider"] == provider]


def providers(schema: Schema) -> Iterator[str]:
    """The providers, in the contract's order."""
    seen: List[str] = []
    for op in schema["operations"]:
        if op["provider"] not in seen:
            seen.append(op["provider"])
            yield op["provider"]


def pascal(snake: str) -> str:
    """`request_code` -> `RequestCode`; `digital99` -> `Digital99`."""
    return "".join(part[:1].upper() + part[1:] for part in snake.replace(".", "_").split("_"))


def camel(snake: str) -> str:
    """`request_code` -> `requestCode`."""
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
