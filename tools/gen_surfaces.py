#!/usr/bin/env python3
"""Writes every language's typed surface from docs/schema.json, the description of every
operation that the core produces (waonboard::schema::describe; core/tests/schema.rs keeps
the committed copy current). Each module under tools/gen/ renders one surface and returns
{path: text}; this driver writes them, or with --check fails on any file that differs
(the test command runs it that way, so a stale copy cannot land).

    python3 tools/gen_surfaces.py [--check]
"""

import importlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

# One module per surface; each has render(schema) -> {relative path: text}.
SURFACES = ["gen.typescript", "gen.python", "gen.uniffi", "gen.docs"]


def main() -> int:
    schema = json.loads((ROOT / "docs" / "schema.json").read_text())
    outputs = {}
    for name in SURFACES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        outputs.update(module.render(schema))
    stale = []
    for relative, text in sorted(outputs.items()):
        path = ROOT / relative
        if not path.exists() or path.read_text() != text:
            stale.append(relative)
            if "--check" not in sys.argv:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text)
    if "--check" in sys.argv and stale:
        for relative in stale:
            print(f"stale: {relative} (run python3 tools/gen_surfaces.py and commit)", file=sys.stderr)
        return 1
    for relative in stale:
        print(f"wrote {relative}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
