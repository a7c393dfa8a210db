// The provider simulator on 127.0.0.1, from the library itself: no Rust toolchain, no
// network. The same simulator as `waonboard sandbox`, the npm package's `waonboard/sandbox`
// and Python's `waonboard.sandbox`: its request handling is the library's SandboxEngine,
// served here by the JDK's own HTTP server.
package dev.waonboard

import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import java.net.InetAddress
import java.net.InetSocketAddress
import java.security.SecureRandom
import java.util.concurrent.CountDownLatch
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/**
 * The simulator of Meta, Vonage and 99digital, listening on 127.0.0.1 until [close]: fake
 * credentials, kept state, and the one-time codes it "sends" readable through its side
 * channel (`/_sim/...`).
 *
 * ```kotlin
 * Sandbox(fixedOtp = "123456").use { sandbox ->
 *     val meta = MetaClient(sandbox.env.getValue("WAONBOARD_META_TOKEN"), ClientOptions(baseUrl = sandbox.baseUrl("meta")))
 *     meta.requestCode(phoneNumberId = "106540352242922", codeMethod = "sms", language = "en_US")
 * }
 * ```
 *
 * [port] 0 picks a free one; [seed] makes codes, IDs and tokens repeatable; [fixedOtp]
 * (6 digits) is sent as every one-time code, for tries by hand.
 */
class Sandbox(port: Int = 0, seed: ULong? = null, fixedOtp: String? = null) : AutoCloseable {
    private val started = System.nanoTime()
    private val stopping = CountDownLatch(1)
    // One thread per held request: a fault may hold one for seconds while others go on.
    private val threads: ExecutorService = Executors.newCachedThreadPool { task ->
        Thread(task, "waonboard-sandbox").apply { isDaemon = true }
    }
    private val server = listen(port)
    private val trapServer = listen(0)
    private val engine: SandboxEngine

    /** `http://127.0.0.1:PORT`, the root of the side channel (`/_sim/...`). */
    val url: String = origin(server)

    /** Base URLs, fake credentials and seeded IDs, as JSON (the same as `GET /_sim/seed`). */
    val seedJson: String

    /** The `WAONBOARD_*` variables (base URLs, fake credentials) that point clients here. */
    val env: Map<String, String>

    init {
        require(fixedOtp == null || (fixedOtp.length == 6 && fixedOtp.all { it in '0'..'9' })) {
            "fixedOtp must be 6 digits"
        }
        val entropy = SecureRandom().nextLong().toULong()
        engine = SandboxEngine(SandboxOptions(seed, fixedOtp), url, origin(trapServer), System.currentTimeMillis().toULong(), entropy)
        seedJson = engine.seedJson()
        env = engine.env().associate { it.name to it.value }
        server.createContext("/") { exchange -> serve(exchange) }
        trapServer.createContext("/") { exchange -> trap(exchange) }
        server.start()
        trapServer.start()
    }

    /** The base URL a client uses for [provider] (`meta`, `vonage` or `digital99`). */
    fun baseUrl(provider: String): String {
        val name = when (provider.lowercase()) {
            "meta" -> "META"
            "vonage" -> "VONAGE"
            "digital99", "99digital" -> "DIGITAL99"
            else -> throw IllegalArgumentException("provider must be meta, vonage or digital99, not $provider")
        }
        return env.getValue("WAONBOARD_${name}_BASE_URL")
    }

    /** Stops listening; requests held by a fault end unanswered. */
    override fun close() {
        stopping.countDown()
        server.stop(0)
        trapServer.stop(0)
        threads.shutdownNow()
        engine.close()
    }

    override fun toString() = "Sandbox($url)"

    private fun listen(port: Int): HttpServer =
        HttpServer.create(InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0).apply { executor = threads }

    private fun elapsedMs() = ((System.nanoTime() - started) / 1_000_000).toULong()

    /** Every request goes to the engine, which says what to answer, and when. */
    private fun serve(exchange: HttpExchange) = exchange.use {
        val request = SandboxRequest(
            method = exchange.requestMethod.uppercase(),
            path = exchange.requestURI.rawPath,
            query = exchange.requestURI.rawQuery ?: "",
            headers = exchange.requestHeaders.flatMap { (name, values) -> values.map { HttpHeader(name.lowercase(), it) } },
            body = exchange.requestBody.readAllBytes(),
        )
        val outcome = engine.handle(request, elapsedMs())
        if (outcome.action == SandboxAction.RESPOND) return@use write(exchange, outcome.response)
        // Held for the fault's delay, unless the sandbox stops first: then dropped.
        if (stopping.await(outcome.delayMs.toLong(), TimeUnit.MILLISECONDS)) return@use
        when (outcome.action) {
            SandboxAction.RESUME -> write(exchange, engine.resume(request, outcome.seq, elapsedMs()))
            SandboxAction.RESPOND_LATE -> write(exchange, outcome.response)
            else -> Unit // DROP: closed without an answer
        }
    }

    /** The trap, where the `redirect` fault sends clients: it records who came. */
    private fun trap(exchange: HttpExchange) = exchange.use {
        val bodyBytes = exchange.requestBody.readAllBytes().size.toULong()
        val authorized = exchange.requestHeaders.containsKey("authorization")
        write(exchange, engine.trap(exchange.requestMethod.uppercase(), exchange.requestURI.rawPath, authorized, bodyBytes))
    }

    private fun write(exchange: HttpExchange, response: SandboxResponse?) {
        val answer = response ?: return
        for (header in answer.headers) exchange.responseHeaders.add(header.name, header.value)
        val head = exchange.requestMethod.equals("HEAD", ignoreCase = true)
        // -1: no body; the JDK then sends no content-length, as HEAD and 204 want.
        val length = if (head || answer.body.isEmpty()) -1L else answer.body.size.toLong()
        exchange.sendResponseHeaders(answer.status.toInt(), length)
        if (length > 0) exchange.responseBody.use { it.write(answer.body) }
    }

    private companion object {
        fun origin(server: HttpServer) = "http://127.0.0.1:${server.address.port}"
    }
}
