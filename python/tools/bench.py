"""The Python SDK's speed against plain Python doing the same work, printed with the
baseline and the ratio beside each figure (tools/bench-python sets up the venv, the wheel
and the release simulator, then runs this):

- prepare+parse of three operations against json.dumps+json.loads of the same params
  and answer;
- one read (meta.get_phone_number) over loopback, 2,000 sequential calls: the blocking
  client against http.client with keep-alive, the asyncio client against
  httpx.AsyncClient and aiohttp, each sending the very request the SDK builds;
- a fresh interpreter's import plus first blocking call, against the same with
  http.client, and whether asyncio got imported.

Figures are medians: per call, the median of each batch, then the median over the
batches (the batches of the SDK and of its baseline alternate, so that a busy machine
weighs on both alike); each ratio and difference is the median of the batches'.

Each figure is one row of the README's Performance table on stdout
(`| figure | measured | baseline | ratio (difference), target |`, as tools/bench gathers
them); everything else goes to stderr.

    python bench.py SIMULATOR_URL [--quick] [--calls 2000] [--batches 5]
"""

import argparse
import asyncio
import http.client
import json
import statistics
import subprocess
import sys
import time
import urllib.parse
from typing import Any, Awaitable, Callable, Dict, List, Tuple

import waonboard
import waonboard.aio

META_TOKEN = "sim-meta-token"
PHONE_NUMBER_ID = "106540352242922"

# (operation, params, config, status, answer body): the answers are the examples of
# Vonage's OpenAPI file and of 99digital's documentation (tests/vectors/).
PREPARE_PARSE = [
    (
        "meta.request_code",
        {"phone_number_id": PHONE_NUMBER_ID, "code_method": "SMS", "language": "en_US"},
        {"access_token": "EAAG-token"},
        200,
        b'{"success":true}',
    ),
    (
        "vonage.create_deployment",
        {
            "phone_number": "+44 7700 900001",
            "vname_certificate": "CmEKHQiYqO3a6ozAAxIGZW50OndhIgROYW1lUPDB",
            "method": "sms",
            "waba_id": "123456789123",
        },
        {"access_token": "vonage-jwt"},
        202,
        b'{"deployment_id":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab","country_code":"44","number":"7700900000",'
        b'"api_key":"abcd1234","current_state":{"title":"INITIALIZING","detail":"Initializing deployment"}}',
    ),
    (
        "digital99.register_number",
        {"phone_number": "+972 50-123-4567", "method": "sms", "language": "1"},
        {"access_token": "99-token"},
        200,
        b'{"status":"OK","whatsapp":"972501234567","reason":1}',
    ),
]


def alternate(sdk: Callable[[], float], baseline: Callable[[], float], batches: int) -> Tuple[List[float], List[float]]:
    sdk_medians, baseline_medians = [], []
    for _ in range(batches):
        sdk_medians.append(sdk())
        baseline_medians.append(baseline())
    return sdk_medians, baseline_medians


def note(text: str) -> None:
    """What is not a row of the table goes to stderr."""
    print(text, file=sys.stderr)


def amount(value: float, unit: str) -> str:
    return f"{value:.2f} {unit}" if value < 10 else f"{value:.0f} {unit}"


def row(
    figure: str, sdk: List[float], baseline_label: str, baseline: List[float], target: str, unit: str = "µs"
) -> None:
    """One row of the table: the median over the batches of each side, then the median of
    the batches' ratios and differences (batch i of the SDK beside batch i of its baseline)."""
    ratio = statistics.median(ours / theirs for ours, theirs in zip(sdk, baseline))
    difference = statistics.median(ours - theirs for ours, theirs in zip(sdk, baseline))
    measured, of_baseline = statistics.median(sdk), statistics.median(baseline)
    note(f"  {figure}: batches {min(sdk):.1f}-{max(sdk):.1f} {unit}")
    note(f"  {baseline_label}: batches {min(baseline):.1f}-{max(baseline):.1f} {unit}")
    print(
        f"| {figure} | {amount(measured, unit)} | {baseline_label} {amount(of_baseline, unit)} "
        f"| {ratio:.2f}× ({difference:+.2f} {unit}), target {target} |",
        flush=True,
    )


def median_us(samples: List[float]) -> float:
    return statistics.median(samples) * 1e6


def time_each(call: Callable[[], Any], count: int) -> float:
    clock = time.perf_counter
    samples = []
    for _ in range(count):
        start = clock()
        call()
        samples.append(clock() - start)
    return median_us(samples)


async def time_each_async(call: Callable[[], Awaitable[Any]], count: int) -> float:
    clock = time.perf_counter
    samples = []
    for _ in range(count):
        start = clock()
        await call()
        samples.append(clock() - start)
    return median_us(samples)


def bench_prepare_parse(batches: int, pairs: int) -> None:
    note(f"prepare + parse (one request built, one answer read; p50 of {pairs} pairs per batch):")
    for operation, params, config, status, body in PREPARE_PARSE:

        def sdk(operation: str = operation, params: Dict[str, Any] = params, config: Dict[str, Any] = config,
                status: int = status, body: bytes = body) -> None:  # fmt: skip
            waonboard.prepare(operation, params, config)
            waonboard.parse(operation, status, [("content-type", "application/json")], body)

        def plain(params: Dict[str, Any] = params, body: bytes = body) -> None:
            json.dumps(params)
            json.loads(body)

        for _ in range(200):
            sdk()
        ours, theirs = alternate(lambda: time_each(sdk, pairs), lambda: time_each(plain, pairs), batches)
        row(f"Python `prepare`+`parse`, `{operation}`", ours, "`json.dumps` + `json.loads`", theirs, "≤ 30 µs")


def bench_sync(url: str, calls: int, batches: int) -> None:
    base_url = url + "/meta"
    client = waonboard.MetaClient(META_TOKEN, base_url=base_url)
    request = waonboard.prepare(
        "meta.get_phone_number", {"phone_number_id": PHONE_NUMBER_ID}, {"access_token": META_TOKEN, "base_url": base_url}
    )
    target = urllib.parse.urlsplit(request.url)
    path = target.path + (f"?{target.query}" if target.query else "")
    connection = http.client.HTTPConnection(target.hostname, target.port)

    def raw() -> Any:
        connection.request(request.method, path, headers=dict(request.headers))
        answer = connection.getresponse()
        return json.loads(answer.read())

    def sdk() -> Any:
        return client.get_phone_number(phone_number_id=PHONE_NUMBER_ID)

    assert sdk()["id"] == raw()["id"] == PHONE_NUMBER_ID
    per_batch = calls // batches
    ours, theirs = alternate(lambda: time_each(sdk, per_batch), lambda: time_each(raw, per_batch), batches)
    note(f"one read over loopback, {per_batch * batches} sequential calls (p50 per batch, median of {batches}):")
    figure = "Python blocking client, `meta.get_phone_number` on loopback, p50"
    row(figure, ours, "`http.client` keep-alive + `json.loads`", theirs, "≤ 1.15×")


def bench_async(url: str, calls: int, batches: int) -> None:
    import aiohttp
    import httpx

    base_url = url + "/meta"
    request = waonboard.prepare(
        "meta.get_phone_number", {"phone_number_id": PHONE_NUMBER_ID}, {"access_token": META_TOKEN, "base_url": base_url}
    )
    headers = dict(request.headers)
    per_batch = calls // batches

    async def main() -> None:
        client = waonboard.aio.MetaClient(META_TOKEN, base_url=base_url)
        async with httpx.AsyncClient() as plain_httpx, aiohttp.ClientSession() as plain_aiohttp:

            async def sdk() -> Any:
                return await client.get_phone_number(phone_number_id=PHONE_NUMBER_ID)

            async def with_httpx() -> Any:
                answer = await plain_httpx.request(request.method, request.url, headers=headers)
                return json.loads(answer.content)

            async def with_aiohttp() -> Any:
                async with plain_aiohttp.request(request.method, request.url, headers=headers) as answer:
                    return json.loads(await answer.read())

            assert (await sdk())["id"] == (await with_httpx())["id"] == (await with_aiohttp())["id"]
            ours, by_httpx, by_aiohttp = [], [], []
            for _ in range(batches):
                ours.append(await time_each_async(sdk, per_batch))
                by_httpx.append(await time_each_async(with_httpx, per_batch))
                by_aiohttp.append(await time_each_async(with_aiohttp, per_batch))
            figure = "Python asyncio client, `meta.get_phone_number` on loopback, p50"
            row(figure, ours, "`httpx.AsyncClient` + `json.loads`", by_httpx, "≤ 1.15×")
            row(figure, ours, "aiohttp + `json.loads`", by_aiohttp, "≤ 1.15×")

    asyncio.run(main())


FIRST_CALL = """
import sys, time
start = time.perf_counter()
import waonboard
client = waonboard.MetaClient({token!r}, base_url={base_url!r})
client.get_phone_number(phone_number_id={phone!r})
print((time.perf_counter() - start) * 1000, "asyncio" in sys.modules)
"""

FIRST_CALL_PLAIN = """
import sys, time
start = time.perf_counter()
import http.client, json
connection = http.client.HTTPConnection({host!r}, {port})
connection.request("GET", "/meta/v23.0/{phone}", headers={{"authorization": "Bearer {token}"}})
json.loads(connection.getresponse().read())
print((time.perf_counter() - start) * 1000, "asyncio" in sys.modules)
"""


def fresh(code: str, runs: int) -> Tuple[List[float], bool]:
    times, asyncio_loaded = [], False
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
        times.append(float(out[0]))
        asyncio_loaded = asyncio_loaded or out[1] == "True"
    return times, asyncio_loaded


def bench_first_call(url: str, runs: int) -> None:
    target = urllib.parse.urlsplit(url)
    ours, asyncio_loaded = fresh(
        FIRST_CALL.format(token=META_TOKEN, base_url=url + "/meta", phone=PHONE_NUMBER_ID), runs
    )
    plain, _ = fresh(
        FIRST_CALL_PLAIN.format(host=target.hostname, port=target.port, phone=PHONE_NUMBER_ID, token=META_TOKEN), runs
    )
    note(f"a fresh interpreter's import + first blocking call (median of {runs}):")
    asyncio_note = "asyncio imported" if asyncio_loaded else "asyncio not imported"
    figure = f"Python `import waonboard` + first blocking call, fresh interpreter ({asyncio_note})"
    row(figure, ours, "`import http.client, json` + one request", plain, "≤ 40 ms", unit="ms")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", help="the simulator's base URL, e.g. http://127.0.0.1:8787")
    parser.add_argument("--quick", action="store_true", help="fewer batches and calls, to see that it runs")
    parser.add_argument("--calls", type=int, help="client calls in all, over the batches (default 2000; 900 quick)")
    parser.add_argument("--batches", type=int, help="default 5; 3 quick")
    args = parser.parse_args()
    batches = args.batches or (3 if args.quick else 5)
    calls = args.calls or (900 if args.quick else 2000)
    note(f"waonboard {waonboard.__version__}, Python {sys.version.split()[0]}")
    bench_first_call(args.url, 3 if args.quick else 7)
    bench_prepare_parse(batches, 500 if args.quick else 2000)
    bench_sync(args.url, calls, batches)
    bench_async(args.url, calls, batches)
    return 0


if __name__ == "__main__":
    sys.exit(main())
