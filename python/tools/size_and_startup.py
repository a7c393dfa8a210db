"""Prints the wheel's size and how long `import waonboard` takes in the venv whose
Python runs this script (the median of several fresh interpreters). Budgets: 3 MB and
50 ms; past them it says OVER (and exits 1 with --strict)."""

import os
import statistics
import subprocess
import sys

WHEEL_BUDGET_BYTES = 3 * 1024 * 1024
IMPORT_BUDGET_MS = 50.0
PROBE = "import time; t = time.perf_counter(); import waonboard; print((time.perf_counter() - t) * 1000)"
# The first use loads the native library (import waonboard does not), and not asyncio.
FIRST_USE = (
    "import time; t = time.perf_counter(); import waonboard; "
    "waonboard.prepare('meta.deregister', {'phone_number_id': '1'}, {'access_token': 't'}); "
    "print((time.perf_counter() - t) * 1000)"
)


def median_ms(code: str) -> "tuple[float, float]":
    runs = [
        float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
        for _ in range(7)
    ]
    return statistics.median(runs), min(runs)


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--strict"]
    strict = "--strict" in sys.argv
    wheel = args[0]
    size = os.path.getsize(wheel)
    import_ms, import_min = median_ms(PROBE)
    first_ms, first_min = median_ms(FIRST_USE)
    size_ok, time_ok = size <= WHEEL_BUDGET_BYTES, import_ms <= IMPORT_BUDGET_MS
    print(f"wheel: {os.path.basename(wheel)}")
    print(f"wheel size: {size} bytes ({size / 1024 / 1024:.2f} MB) budget 3 MB: {'ok' if size_ok else 'OVER'}")
    print(f"import waonboard: {import_ms:.1f} ms median of 7 (min {import_min:.1f}) budget 50 ms: "
          f"{'ok' if time_ok else 'OVER'}")
    print(f"import + first prepare() (loads the library): {first_ms:.1f} ms median (min {first_min:.1f})")
    return 1 if strict and not (size_ok and time_ok) else 0


if __name__ == "__main__":
    sys.exit(main())
