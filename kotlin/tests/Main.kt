// The Kotlin test suite: every shared vector through prepare/parse, then end-to-end runs
// against the simulator with suspend functions, the exceptions, the flows, the guards and
// a transport written in Kotlin, and the typed methods (Typed.kt). Run by tools/test-uniffi; prints "N passed, M failed".
package dev.waonboard.tests

import dev.waonboard.*
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JavaRequest
import java.net.http.HttpResponse as JavaResponse
import java.time.Duration
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.future.await
import kotlinx.coroutines.runBlocking
import kotlin.system.exitProcess

var passed = 0
val failures = mutableListOf<String>()

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw AssertionError(message())
}

fun test(name: String, body: () -> Unit) {
    try {
        body()
        passed++
    } catch (e: Throwable) {
        failures.add("$name: ${e::class.simpleName}: ${e.message ?: e}")
    }
}

inline fun <reified E : Throwable> assertThrows(body: () -> Unit): E {
    try {
        body()
    } catch (e: Throwable) {
        if (e is E) return e
        throw AssertionError("expected ${E::class.simpleName}, got ${e::class.simpleName}: $e")
    }
    throw AssertionError("expected ${E::class.simpleName}, nothing was thrown")
}

// ------------------------------------------------------------------ vectors

val ERROR_KEYS = listOf(
    "kind", "provider_code", "http_status", "retryable", "retry_after_ms", "field", "fbtrace_id", "error_subcode",
)

fun errorFields(e: WaonboardException): Map<String, Any?> {
    val info = e.info()
    return mapOf(
        "kind" to info.kindName,
        "field" to info.field,
        "provider_code" to info.providerCode,
        "http_status" to info.httpStatus?.toLong(),
        "retryable" to info.retryable,
        "retry_after_ms" to info.retryAfterMs?.toLong(),
        "fbtrace_id" to info.fbtraceId,
        "error_subcode" to info.errorSubcode,
    )
}

fun checkError(e: WaonboardException, want: Map<*, *>): List<String> {
    val actual = errorFields(e)
    val diffs = mutableListOf<String>()
    val variant = e::class.simpleName!!.replace(Regex("([a-z])([A-Z])"), "$1_$2").lowercase()
    if (variant != actual["kind"]) diffs.add("class ${e::class.simpleName} does not match kind ${actual["kind"]}")
    if (e.kind().name.lowercase() != actual["kind"]) diffs.add("kind() ${e.kind()} does not match ${actual["kind"]}")
    for (key in ERROR_KEYS) {
        if (!want.containsKey(key)) continue
        val expected = if (key == "retryable" && want[key] == null) false else want[key]
        if (!strictEqual(actual[key], expected)) diffs.add("$key: expected $expected, actual ${actual[key]}")
    }
    return diffs
}

fun runRequest(op: String, case: Map<*, *>, expect: Map<*, *>): List<String> {
    val params = (case["params"] ?: emptyMap<String, Any?>())
    val config = (case["config"] ?: emptyMap<String, Any?>())
    val outcome = try {
        Result.success(prepare(op, toJson(params), toJson(config)))
    } catch (e: WaonboardException) {
        Result.failure(e)
    }
    val want = expect["request"] as Map<*, *>?
    if (want != null) {
        val request = outcome.getOrElse { return listOf("expected a request, got ${it}") }
        val diffs = mutableListOf<String>()
        if (want.containsKey("method") && want["method"] != request.method) diffs.add("method: ${request.method}")
        if (want.containsKey("url") && want["url"] != request.url) diffs.add("url: expected ${want["url"]}, actual ${request.url}")
        (want["headers"] as Map<*, *>?)?.forEach { (name, value) ->
            val found = request.headers.filter { it.name.equals(name as String, ignoreCase = true) }.map { it.value }
            if (value == null && found.isNotEmpty()) diffs.add("header $name: expected absent, actual $found")
            if (value != null && found != listOf(value)) diffs.add("header $name: expected $value, actual $found")
        }
        if (want.containsKey("body")) {
            val body = want["body"]
            val actual = request.body
            when {
                body == null && actual != null -> diffs.add("body: expected none, actual $actual")
                body != null && actual == null -> diffs.add("body: expected ${toJson(body)}, actual none")
                body != null && !strictEqual(parseJson(actual!!), body) -> diffs.add("body: expected ${toJson(body)}, actual $actual")
            }
        }
        return diffs
    }
    val error = outcome.exceptionOrNull() as WaonboardException?
        ?: return listOf("expected error ${toJson(expect["error"])}, got a request")
    val diffs = checkError(error, expect["error"] as Map<*, *>).toMutableList()
    // No error text contains a token, PIN, code or client secret.
    val secrets = listOf((config as Map<*, *>)["access_token"]) + listOf("pin", "code", "client_secret").map { (params as Map<*, *>)[it] }
    val texts = listOf(error.toString(), error.message ?: "", error.info().detail)
    for (secret in secrets.filterIsInstance<String>().filter { it.length >= 4 }) {
        if (texts.any { it.contains(secret) }) diffs.add("the error text leaks a secret: $texts")
    }
    return diffs
}

fun runResponse(op: String, response: Map<*, *>, expect: Map<*, *>): List<String> {
    val body = when {
        response.containsKey("body_text") -> (response["body_text"] as String).toByteArray()
        response.containsKey("body") -> toJson(response["body"]).toByteArray()
        else -> ByteArray(0)
    }
    val headers = (response["headers"] as Map<*, *>? ?: emptyMap<String, String>())
        .map { (name, value) -> HttpHeader(name as String, value as String) }
    val status = (response["status"] as Long).toInt().toUShort()
    val outcome = try {
        Result.success(parse(op, HttpResponse(status, headers, body)))
    } catch (e: WaonboardException) {
        Result.failure(e)
    }
    if (expect.containsKey("result")) {
        val text = outcome.getOrElse { return listOf("expected a result, got $it") }
        val (want, got) = dropNulls(expect["result"]) to dropNulls(parseJson(text))
        return if (strictEqual(want, got)) emptyList() else listOf("result: expected ${toJson(want)}, actual ${toJson(got)}")
    }
    val error = outcome.exceptionOrNull() as WaonboardException?
        ?: return listOf("expected error ${toJson(expect["error"])}, got ${outcome.getOrNull()}")
    return checkError(error, expect["error"] as Map<*, *>)
}

fun vectors(root: File) {
    val files = File(root, "tests/vectors").listFiles { f -> f.name.endsWith(".json") }!!.sortedBy { it.name }
    val names = mutableSetOf<String>()
    val requestOps = mutableSetOf<String>()
    val responseOps = mutableSetOf<String>()
    var total = 0
    for (file in files) {
        val doc = parseJson(file.readText()) as Map<*, *>
        for (case in doc["cases"] as List<*>) {
            case as Map<*, *>
            total++
            val name = case["name"] as String
            val op = case["op"] as String
            val expect = case["expect"] as Map<*, *>
            test("${file.name} :: $name") {
                check(names.add(name)) { "duplicate case name" }
                check(op in operations()) { "$op is not an operation" }
                val diffs = if (case.containsKey("response")) runResponse(op, case["response"] as Map<*, *>, expect)
                else runRequest(op, case, expect)
                check(diffs.isEmpty()) { diffs.joinToString("; ") }
            }
            if (case.containsKey("response")) responseOps.add(op) else if (expect.containsKey("request")) requestOps.add(op)
        }
    }
    test("vectors cover the contract") {
        check(total >= 150) { "only $total cases" }
        check(requestOps == operations().toSet()) { "no request case for ${operations() - requestOps}" }
        check(responseOps == operations().toSet()) { "no response case for ${operations() - responseOps}" }
        check(operations().size == 41) { "${operations().size} operations" }
    }
    println("vectors: $total cases run")
}

// ---------------------------------------------------------------- simulator

class Simulator(val url: String) {
    private val http: HttpClient = HttpClient.newHttpClient()
    val seed: Map<*, *> = get("/_sim/seed") as Map<*, *>

    fun request(method: String, path: String, body: String? = null): Any? {
        val publisher = if (body == null) JavaRequest.BodyPublishers.noBody() else JavaRequest.BodyPublishers.ofString(body)
        val request = JavaRequest.newBuilder(URI(url + path)).method(method, publisher)
            .header("content-type", "application/json").build()
        val text = http.send(request, JavaResponse.BodyHandlers.ofString()).body()
        return if (text.isEmpty()) null else parseJson(text)
    }

    fun get(path: String) = request("GET", path)
    fun reset() = request("POST", "/_sim/reset", "{}")
    fun fault(rule: String) = request("POST", "/_sim/faults", rule)
    fun seed(provider: String, key: String) = (seed[provider] as Map<*, *>)[key] as String
    fun metaNumber(which: String) = ((seed["meta"] as Map<*, *>)["phone_number_ids"] as Map<*, *>)[which] as String
    fun otp(provider: String, query: String) = (get("/_sim/otp?provider=$provider&$query") as Map<*, *>)["code"] as String
    fun ops(op: String? = null): List<Map<*, *>> =
        (get("/_sim/requests") as List<*>).map { it as Map<*, *> }.filter { op == null || it["op"] == op }
}

/** The library's own sandbox (the JDK's HTTP server over the simulator's engine): no cargo. */
fun startSimulator(): Pair<Sandbox, Simulator> {
    val sandbox = Sandbox()
    val sim = Simulator(sandbox.url)
    // What the sandbox says of itself matches what its side channel serves.
    check(sim.seed("meta", "base_url") == sandbox.baseUrl("meta")) { "meta base URL" }
    check(sandbox.env["WAONBOARD_META_TOKEN"] == sim.seed("meta", "access_token")) { "${sandbox.env}" }
    check(sandbox.env["WAONBOARD_DIGITAL99_BASE_URL"] == sim.seed("digital99", "base_url")) { "${sandbox.env}" }
    return sandbox to sim
}

val FAST_RETRY = RetryOptions(baseDelayMs = 5uL, maxDelayMs = 20uL)
val FAST_POLL = PollOptions(initialIntervalMs = 30uL, maxIntervalMs = 100uL, timeoutMs = 20_000uL)

fun metaClient(sim: Simulator, options: ClientOptions = ClientOptions()) = MetaClient(
    sim.seed("meta", "access_token"),
    options.copy(baseUrl = sim.seed("meta", "base_url"), retry = options.retry ?: FAST_RETRY),
)

fun digital99Client(sim: Simulator, options: ClientOptions = ClientOptions()) = Digital99Client(
    sim.seed("digital99", "client_id"),
    sim.seed("digital99", "client_secret"),
    options.copy(baseUrl = sim.seed("digital99", "base_url")),
)

fun vonageClient(sim: Simulator) = VonageClient(
    sim.seed("vonage", "access_token"),
    ClientOptions(baseUrl = sim.seed("vonage", "base_url"), poll = FAST_POLL),
)

/** The app's own HTTP stack: java.net.http with suspend, counting what it sends; it never follows a redirect. */
class JavaHttpTransport : HttpTransport {
    private val http: HttpClient =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build()
    val sent = java.util.Collections.synchronizedList(mutableListOf<String>())

    override suspend fun send(request: HttpRequest): HttpResponse {
        sent.add("${request.method} ${request.url}")
        val body = request.body?.let { JavaRequest.BodyPublishers.ofString(it) } ?: JavaRequest.BodyPublishers.noBody()
        val builder = JavaRequest.newBuilder(URI(request.url)).method(request.method, body)
        request.headers.forEach { builder.header(it.name, it.value) }
        val answer = try {
            http.sendAsync(builder.build(), JavaResponse.BodyHandlers.ofByteArray()).await()
        } catch (e: java.io.IOException) {
            throw WaonboardException.Transport("the request failed: $e", null, null, null, true, null, null, null, null, e.toString())
        }
        val headers = answer.headers().map().flatMap { (name, values) -> values.map { HttpHeader(name, it) } }
        return HttpResponse(answer.statusCode().toUShort(), headers, answer.body())
    }
}

fun endToEnd(sim: Simulator) {
    fun e2e(name: String, body: suspend () -> Unit) = test("e2e: $name") {
        sim.reset()
        runBlocking { body() }
    }

    e2e("Meta flow, saved and resumed between steps") {
        val client = metaClient(sim)
        val number = sim.metaNumber("ready")
        val flow = MetaOnboarding(number, "sms", "en_US")
        check(flow.needs() == Needs.ADVANCE) { "starts with ${flow.needs()}" }
        check(flow.advance(client) == Needs.CODE) { "no code asked" }
        val resumed = MetaOnboarding.fromJson(flow.toJson())
        val missing = assertThrows<WaonboardException.Validation> { runBlocking { resumed.advance(client) } }
        check(missing.field == "code") { "field ${missing.field}" }
        check(resumed.advance(client, code = sim.otp("meta", "phone_number_id=$number")) == Needs.PIN) { "no PIN asked" }
        check(resumed.advance(client, pin = "123456") == Needs.DONE) { "not done" }
        check(!resumed.toJson().contains("123456")) { "the PIN was saved" }
        val ops = sim.ops().map { it["op"] }
        // Read first (a number verified in Embedded Signup needs no code), and before register.
        val expected = listOf(
            "meta.get_phone_number", "meta.request_code", "meta.verify_code", "meta.get_phone_number", "meta.register",
        )
        check(ops == expected) { "$ops" }
    }

    e2e("a listener hears each attempt of a Meta flow, and no secret") {
        val heard = java.util.Collections.synchronizedList(mutableListOf<Any>())
        val listener = object : HttpListener {
            override fun onRequest(event: RequestEvent) { heard.add(event) }
            override fun onResponse(event: ResponseEvent) { heard.add(event) }
        }
        val client = metaClient(sim, ClientOptions(listener = listener))
        val number = sim.metaNumber("ready")
        val flow = MetaOnboarding(number, "sms", "en_US")
        flow.advance(client)
        flow.advance(client, code = sim.otp("meta", "phone_number_id=$number"))
        check(flow.advance(client, pin = "246810") == Needs.DONE) { "not done" }
        val received = sim.ops()
        check(heard.size == 2 * received.size) { "${heard.size} events for ${received.size} requests" }
        received.forEachIndexed { i, got ->
            val before = heard[2 * i] as RequestEvent
            val after = heard[2 * i + 1] as ResponseEvent
            check(before.operation == got["op"] && before.method == got["method"] && before.path == got["path"]) { "$before vs $got" }
            check(after.operation == before.operation && after.attempt == 1u && after.error == null) { "$after" }
            check(after.status?.toInt() == (got["status"] as Number).toInt()) { "$after vs $got" }
        }
        val text = heard.joinToString()
        for (secret in listOf(sim.seed("meta", "access_token"), "246810", "fields=")) {
            check(!text.contains(secret)) { "an event holds $secret: $text" }
        }
    }

    e2e("Vonage flow polls to READY") {
        val client = vonageClient(sim)
        val flow = VonageOnboarding("+44 7700 900123", "AbCdEFGHiJK123456", "sms", "123456789123")
        while (flow.needs() != Needs.DONE) {
            val code = if (flow.needs() == Needs.CODE) sim.otp("vonage", "deployment_id=${flow.deploymentId()}") else null
            flow.advance(client, code = code)
        }
        val deployment = parseJson(client.call("get_deployment", """{"deployment_id":"${flow.deploymentId()}"}""")) as Map<*, *>
        check((deployment["current_state"] as Map<*, *>)["title"] == "READY") { "$deployment" }
        val waited = parseJson(client.waitForState(sim.seed("vonage", "ready_deployment_id"), listOf("READY"))) as Map<*, *>
        check(waited["deployment_id"] == sim.seed("vonage", "ready_deployment_id")) { "$waited" }
    }

    e2e("a failed Vonage flow restarts with a fixed certificate") {
        val client = vonageClient(sim)
        val flow = VonageOnboarding("+44 7700 900777", sim.seed("vonage", "invalid_vname_certificate"), "sms", "123456789123")
        check(flow.advance(client) == Needs.ADVANCE) { "not created" }
        val failed = flow.deploymentId()
        val error = assertThrows<WaonboardException.Provider> { runBlocking { flow.advance(client) } }
        check(error.providerCode == "ERROR") { "$error" }
        check(flow.restart(client, vnameCertificate = "AbCdEFGHiJK123456") == Needs.ADVANCE) { "not restarted" }
        check(sim.ops("vonage.delete_deployment").size == 1) { "${sim.ops()}" }
        check(flow.advance(client) == Needs.ADVANCE) { "not created again" }
        check(flow.deploymentId() != null && flow.deploymentId() != failed) { "the same deployment" }
        check(flow.advance(client) == Needs.CODE) { "no code asked" }
    }

    e2e("99digital flow fetches one token") {
        val client = digital99Client(sim)
        val flow = Digital99Onboarding("+972 50-555-1234", "sms", "1")
        check(flow.advance(client) == Needs.CODE) { "no code asked" }
        check(flow.advance(client, code = sim.otp("digital99", "whatsapp=972505551234")) == Needs.DONE) { "not done" }
        check((flow.expiration() ?: 0) > 0) { "no expiration" }
        client.call("list_accounts", "")
        check(sim.ops("digital99.access_token").size == 1) { "${sim.ops()}" }
    }

    e2e("a validation error sends nothing") {
        val client = metaClient(sim)
        val e = assertThrows<WaonboardException.Validation> {
            runBlocking { client.call("register", """{"phone_number_id":"106540352242922","pin":"12345"}""") }
        }
        check(e.field == "pin" && !e.retryable && e.kind() == ErrorKind.VALIDATION) { "$e" }
        check(e.toString() == e.detail && e.detail.contains("pin")) { "unreadable: $e" }
        check(!e.toString().contains("12345")) { "the PIN leaked" }
        val other = assertThrows<WaonboardException.Validation> { runBlocking { client.call("vonage.get_deployment", "{}") } }
        check(other.field == "operation") { "${other.field}" }
        check(sim.ops().isEmpty()) { "${sim.ops()}" }
    }

    e2e("a failed read is retried") {
        sim.fault("""{"op":"meta.get_phone_number","times":2,"fault":"status_503"}""")
        val number = sim.metaNumber("ready")
        val got = parseJson(metaClient(sim).call("get_phone_number", """{"phone_number_id":"$number"}""")) as Map<*, *>
        check(got["id"] == number) { "$got" }
        val statuses = sim.ops("meta.get_phone_number").map { it["status"] }
        check(statuses == listOf(503L, 503L, 200L)) { "$statuses" }
    }

    e2e("a connection the sandbox drops fails the attempt, and a read is tried again") {
        sim.fault("""{"op":"meta.get_phone_number","times":1,"fault":"reset"}""")
        val number = sim.metaNumber("ready")
        val got = parseJson(metaClient(sim).call("get_phone_number", """{"phone_number_id":"$number"}""")) as Map<*, *>
        check(got["id"] == number) { "$got" }
        val faults = sim.ops("meta.get_phone_number").map { it["fault"] }
        check(faults == listOf("reset", null)) { "$faults" }
    }

    e2e("an answer the sandbox holds back ends at the request time limit, a write not retried") {
        sim.fault("""{"op":"meta.set_two_step_pin","times":1,"fault":{"type":"timeout","seconds":5}}""")
        val client = metaClient(sim, ClientOptions(requestTimeoutMs = 300uL))
        val started = System.nanoTime()
        val e = assertThrows<WaonboardException.Timeout> {
            runBlocking { client.call("set_two_step_pin", """{"phone_number_id":"${sim.metaNumber("registered")}","pin":"147258"}""") }
        }
        val tookMs = (System.nanoTime() - started) / 1_000_000
        check(tookMs in 250..3000) { "gave up after $tookMs ms, not at the 300 ms limit" }
        check(!e.toString().contains("147258")) { "the PIN leaked" }
        check(sim.ops("meta.set_two_step_pin").size == 1) { "${sim.ops("meta.set_two_step_pin")}" }
    }

    e2e("a failed write is not retried") {
        sim.fault("""{"op":"meta.register","fault":"status_500"}""")
        val e = assertThrows<WaonboardException.Provider> {
            runBlocking { metaClient(sim).call("register", """{"phone_number_id":"110200345501442","pin":"147258"}""") }
        }
        check(e.httpStatus?.toInt() == 500 && !e.retryable && e.operation == "meta.register") { "$e" }
        check(sim.ops("meta.register").size == 1) { "${sim.ops()}" }
    }

    e2e("the guard refuses before sending, and its state is kept") {
        val limits = GuardLimits(digital99CodeRequests = GuardLimit(1u, 3_600_000uL))
        val client = digital99Client(sim, ClientOptions(guardLimits = limits))
        val params = """{"phone_number":"+972505557777","method":"sms","language":"1"}"""
        client.call("register_number", params)
        val e = assertThrows<WaonboardException.Guard> { runBlocking { client.call("register_number", params) } }
        check((e.retryAfterMs ?: 0uL) > 0uL && e.info().kindName == "guard") { "$e" }
        val later = digital99Client(sim, ClientOptions(guardLimits = limits, guardStateJson = client.guardStateJson()))
        assertThrows<WaonboardException.Guard> { runBlocking { later.call("register_number", params) } }
        check(sim.ops("digital99.register_number").size == 1) { "${sim.ops()}" }
    }

    e2e("a Kotlin transport carries the flow, retries and errors") {
        val transport = JavaHttpTransport()
        val client = metaClient(sim, ClientOptions(transport = transport))
        val number = sim.metaNumber("ready")
        val flow = MetaOnboarding(number, "voice", "en_US")
        flow.advance(client)
        flow.advance(client, code = sim.otp("meta", "phone_number_id=$number"))
        check(flow.advance(client, pin = "654321") == Needs.DONE) { "not done" }
        // The status read (Embedded Signup), request_code, verify_code, readiness, register.
        check(transport.sent.size == 5 && sim.ops().size == 5) { "${transport.sent}" }
        sim.fault("""{"op":"meta.get_phone_number","fault":"status_503"}""")
        client.call("get_phone_number", """{"phone_number_id":"$number"}""")
        check(transport.sent.size == 7) { "${transport.sent}" }
        val wrong = assertThrows<WaonboardException.VerificationFailed> {
            runBlocking { client.call("verify_code", """{"phone_number_id":"$number","code":"000000"}""") }
        }
        check(wrong.providerCode == "136025") { "$wrong" }
    }

    e2e("a failing Kotlin transport is a transport error") {
        val broken = object : HttpTransport {
            override suspend fun send(request: HttpRequest): HttpResponse = throw IllegalStateException("peer went away")
        }
        val client = metaClient(sim, ClientOptions(transport = broken, retry = RetryOptions(maxAttempts = 1u)))
        val e = assertThrows<WaonboardException.Transport> { runBlocking { client.call("deregister", """{"phone_number_id":"106540352242922"}""") } }
        check(e.retryable) { "$e" }
        check(e.detail.startsWith("POST ${sim.seed("meta", "base_url").substringAfter("://")}/v23.0/106540352242922/deregister: ")) { "$e" }
        check(e.causeDetail?.contains("peer went away") == true) { "${e.causeDetail}" }
        check(sim.ops().isEmpty()) { "${sim.ops()}" }
    }

    e2e("a refused connection names the method, host and path (no query) and keeps the cause") {
        val port = java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()).use { it.localPort }
        val client = MetaClient("EAAGsecret", ClientOptions(baseUrl = "http://127.0.0.1:$port", retry = RetryOptions(maxAttempts = 1u)))
        val read = assertThrows<WaonboardException.Transport> {
            runBlocking { client.call("list_phone_numbers", """{"waba_id":"102290129340398","after":"cursorVALUE42"}""") }
        }
        check(read.detail.startsWith("GET 127.0.0.1:$port/v23.0/102290129340398/phone_numbers: ")) { "$read" }
        check(!read.detail.contains("cursorVALUE42") && !read.detail.contains("?")) { "$read" }
        check(read.causeDetail?.lowercase()?.contains("connect") == true) { "${read.causeDetail}" }
    }

    e2e("a redirect is never followed, by the default or a Kotlin transport") {
        val number = sim.metaNumber("ready")
        for (client in listOf(metaClient(sim), metaClient(sim, ClientOptions(transport = JavaHttpTransport())))) {
            for (status in listOf(307, 302)) {
                sim.fault("""{"op":"meta.register","fault":{"type":"redirect","status":$status}}""")
                val e = assertThrows<WaonboardException.Provider> {
                    runBlocking { client.call("register", """{"phone_number_id":"$number","pin":"246813"}""") }
                }
                check(e.httpStatus?.toInt() == status && !e.retryable) { "$e" }
            }
        }
        check(sim.ops("meta.register").size == 4) { "${sim.ops()}" }
        val hits = (sim.get("/_sim/trap") as Map<*, *>)["hits"] as List<*>
        check(hits.isEmpty()) { "the other host was reached: $hits" }
    }

    e2e("an echoed request shows no secret") {
        sim.fault("""{"op":"meta.register","fault":{"type":"echo_request","pad":100000}}""")
        val e = assertThrows<WaonboardException.InvalidRequest> {
            runBlocking { metaClient(sim).call("register", """{"phone_number_id":"${sim.metaNumber("ready")}","pin":"246813"}""") }
        }
        val shown = "$e ${e.detail}"
        check("[redacted]" in shown && "246813" !in shown && sim.seed("meta", "access_token") !in shown) { shown }
        check(e.detail.length <= 512 && e.detail.none { it.code < 32 }) { e.detail }
    }

    e2e("suspend calls run concurrently") {
        val client = vonageClient(sim)
        val id = sim.seed("vonage", "ready_deployment_id")
        val results = kotlinx.coroutines.coroutineScope {
            (1..5).map { async { client.call("get_deployment", """{"deployment_id":"$id"}""") } }.awaitAll()
        }
        check(results.all { (parseJson(it) as Map<*, *>)["deployment_id"] == id }) { "$results" }
        val missing = assertThrows<WaonboardException.NotFound> {
            runBlocking { client.call("get_deployment", """{"deployment_id":"no-such-deployment"}""") }
        }
        check(missing.httpStatus?.toInt() == 404) { "$missing" }
    }

    e2e("a pre-verified number is added, verified by its flow, shared and deleted") {
        val client = metaClient(sim)
        val business = sim.seed("meta", "business_id")
        val added = parseJson(client.call("add_preverified_number", """{"business_id":"$business","phone_number":"+1 631-555-1000"}""")) as Map<*, *>
        val id = added["id"] as String
        val flow = PreverifiedVerification(id, "sms", "en_US")
        check(flow.advance(client) == Needs.CODE) { "no code asked" }
        val resumed = PreverifiedVerification.fromJson(flow.toJson())
        check(resumed.advance(client, code = sim.otp("meta", "phone_number_id=$id")) == Needs.DONE) { "not done" }
        val page = parseJson(client.call("list_preverified_numbers", """{"business_id":"$business","verification_status":"VERIFIED","fields":["id"]}""")) as Map<*, *>
        check((page["data"] as List<*>).any { (it as Map<*, *>)["id"] == id }) { "$page" }
        val partner = sim.seed("meta", "partner_business_id")
        client.call("share_preverified_number", """{"business_id":"$business","preverified_id":"$id","partner_business_id":"$partner"}""")
        val partners = parseJson(client.call("list_preverified_partners", """{"preverified_id":"$id"}""")) as Map<*, *>
        check(((partners["data"] as List<*>).single() as Map<*, *>)["id"] == partner) { "$partners" }
        check(parseJson(client.call("delete_preverified_number", """{"preverified_id":"$id"}""")) == mapOf("success" to true)) { "not deleted" }
        val failed = ((sim.seed["meta"] as Map<*, *>)["preverified_ids"] as Map<*, *>)["failed"] as String
        val refused = assertThrows<WaonboardException.Conflict> {
            runBlocking { PreverifiedVerification(failed, "voice", "en_US").advance(client) }
        }
        check(refused.field == "preverified_id") { "$refused" }
        check(sim.ops("meta.request_preverified_code").size == 1) { "${sim.ops()}" }
    }
}

/** The app's store of a flow's state: what `save` got, in order; `failWith` makes it refuse. */
class Disk(private val failWith: String? = null, private val onSave: () -> Unit = {}) : FlowCheckpoint {
    val saved = java.util.Collections.synchronizedList(mutableListOf<String>())

    override fun save(stateJson: String) {
        failWith?.let { throw java.io.IOException(it) }
        onSave()
        saved.add(stateJson)
    }

    fun pending(index: Int) = (parseJson(saved[index]) as Map<*, *>)["pending"]
}

fun pendingOf(flowJson: String) = (parseJson(flowJson) as Map<*, *>)["pending"]

fun writeAheadIntent(sim: Simulator) {
    fun e2e(name: String, body: suspend () -> Unit) = test("e2e: $name") {
        sim.reset()
        runBlocking { body() }
    }

    e2e("the checkpoint gets the pending state before each write leaves") {
        val client = digital99Client(sim)
        val flow = Digital99Onboarding("+972 50-555-4331", "sms", "1")
        val sentWhenSaved = mutableListOf<Int>()
        val disk = Disk { sentWhenSaved.add(sim.ops("digital99.register_number").size) }
        check(flow.advance(client, checkpoint = disk) == Needs.CODE) { "no code asked" }
        check(disk.saved.size == 1 && disk.pending(0) == "digital99.register_number") { "${disk.saved}" }
        check(sentWhenSaved == listOf(0)) { "saved after the write left: $sentWhenSaved" }
        check(pendingOf(flow.toJson()) == null) { flow.toJson() }
        check(Digital99Onboarding.fromJson(disk.saved[0]).needs() == Needs.ADVANCE) { "the saved state does not restore" }
        val code = sim.otp("digital99", "whatsapp=972505554331")
        check(flow.advance(client, code = code, checkpoint = disk) == Needs.DONE) { "not done" }
        check(disk.pending(1) == "digital99.verify_number" && code !in disk.saved[1]) { "${disk.saved}" }
    }

    e2e("a checkpoint that throws sends nothing") {
        val client = digital99Client(sim)
        val flow = Digital99Onboarding("+972 50-555-4332", "sms", "1")
        val refused = assertThrows<WaonboardException.Validation> {
            runBlocking { flow.advance(client, checkpoint = Disk(failWith = "disk full")) }
        }
        check(refused.field == "checkpoint" && "disk full" in refused.detail) { "$refused" }
        check(sim.ops("digital99.register_number").isEmpty()) { "${sim.ops()}" }
        check(flow.needs() == Needs.ADVANCE && pendingOf(flow.toJson()) == null) { flow.toJson() }
    }

    e2e("a flow restored after a crash settles the lost write without sending it again") {
        // Vonage creates the deployment at once but answers after 2 s; the client gives up
        // at 0.5 s, as a process killed meanwhile would never read the answer.
        sim.fault("""{"op":"vonage.create_deployment","fault":{"type":"late_answer_ms","ms":2000}}""")
        val impatient = VonageClient(
            sim.seed("vonage", "access_token"),
            ClientOptions(baseUrl = sim.seed("vonage", "base_url"), poll = FAST_POLL, requestTimeoutMs = 500uL),
        )
        val disk = Disk()
        assertThrows<WaonboardException.Timeout> {
            runBlocking { VonageOnboarding("+44 7700 900331", "AbCdEFGHiJK123456", "sms", "123456789123").advance(impatient, checkpoint = disk) }
        }
        check(disk.pending(disk.saved.size - 1) == "vonage.create_deployment") { "${disk.saved}" }
        val client = vonageClient(sim)
        val resumed = VonageOnboarding.fromJson(disk.saved.last())
        check(resumed.advance(client, checkpoint = disk) == Needs.ADVANCE) { "not settled" }
        check(resumed.deploymentId() != null && pendingOf(resumed.toJson()) == null) { resumed.toJson() }
        check(sim.ops("vonage.create_deployment").size == 1) { "sent again: ${sim.ops()}" }
        check(resumed.advance(client) == Needs.CODE) { "no code asked" }
        val code = sim.otp("vonage", "deployment_id=${resumed.deploymentId()}")
        check(resumed.advance(client, code = code) == Needs.ADVANCE) { "code refused" }
        check(resumed.advance(client) == Needs.DONE) { "not READY" }
    }

    e2e("a number verified in Embedded Signup goes straight to register") {
        val number = sim.metaNumber("ready")
        sim.request("POST", "/_sim/meta/code_verification_status", """{"phone_number_id":"$number","code_verification_status":"VERIFIED"}""")
        val client = metaClient(sim)
        val flow = MetaOnboarding(number, "sms", "en_US")
        check(flow.advance(client) == Needs.PIN) { "a code was asked" }
        check((parseJson(flow.toJson()) as Map<*, *>)["already_verified"] == true) { flow.toJson() }
        check(flow.advance(client, pin = "123456") == Needs.DONE) { "not done" }
        val counts = listOf("meta.request_code", "meta.verify_code", "meta.register").map { sim.ops(it).size }
        check(counts == listOf(0, 0, 1)) { "$counts" }
    }
}

fun main(args: Array<String>) {
    val root = File(args.firstOrNull() ?: ".").canonicalFile
    vectors(root)
    val (sandbox, sim) = startSimulator()
    sandbox.use {
        endToEnd(sim)
        writeAheadIntent(sim)
        typedSurface(sim)
    }
    failures.forEach { println("FAIL $it") }
    println("$passed passed, ${failures.size} failed")
    exitProcess(if (failures.isEmpty()) 0 else 1)
}
