"""Every README's Python examples, run as written against the wheel's own sandbox.

A README's ```python blocks run in order in one namespace, as a reader pastes them into
one session, with the ``WAONBOARD_*`` variables that ``python -m waonboard.sandbox``
prints set, and every one-time code ``123456``; each block starts from the sandbox's
seed (``/_sim/reset``), as each example is written for a fresh account. A block preceded by
``<!-- not run: why -->`` is left out, saying why.
"""

import json
import re
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest

from waonboard.sandbox import Sandbox

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^(?P<skip><!-- not run: [^\n]+ -->\n)?```(?P<lang>\w*)[^\n]*\n(?P<code>.*?)^```$", re.M | re.S)


def examples(readme: str, lang: str) -> List[Tuple[int, str]]:
    """The blocks of ``lang`` to run, with the line each starts on."""
    text = (ROOT / readme).read_text()
    found = []
    for match in FENCE.finditer(text):
        if match["lang"] == lang and not match["skip"]:
            found.append((text.count("\n", 0, match.start("code")) + 1, match["code"]))
    return found


@pytest.mark.parametrize("readme", ["README.md", "python/README.md"])
def test_the_readmes_python_examples_run_against_the_sandbox(readme: str, monkeypatch: Any) -> None:
    blocks = examples(readme, "python")
    assert blocks, f"{readme} has no python examples"
    with Sandbox(fixed_otp="123456") as sandbox:
        for name, value in sandbox.env().items():
            monkeypatch.setenv(name, value)
        namespace: Dict[str, Any] = {"__name__": "__readme__"}
        sent = 0
        for line, code in blocks:
            reset = urllib.request.Request(f"{sandbox.url}/_sim/reset", data=b"", method="POST")
            urllib.request.urlopen(reset, timeout=10).close()
            exec(compile(code, f"{readme}:{line}", "exec"), namespace)
            with urllib.request.urlopen(f"{sandbox.url}/_sim/requests", timeout=10) as answer:
                sent += len(json.loads(answer.read()))
        # They reached the sandbox (a default base URL would have failed: no network here).
        assert sent > 0, "the examples sent nothing to the sandbox"
