// A small strict JSON reader for the tests (the JVM ships none): objects become
// LinkedHashMap, arrays List, integers Long (BigInteger if larger), other numbers Double.
package dev.waonboard.tests

import java.math.BigInteger

class JsonReader(private val text: String) {
    private var at = 0

    fun read(): Any? {
        val value = value()
        space()
        require(at == text.length) { "trailing text at $at" }
        return value
    }

    private fun space() {
        while (at < text.length && text[at].isWhitespace()) at++
    }

    private fun value(): Any? {
        space()
        require(at < text.length) { "unexpected end of JSON" }
        return when (text[at]) {
            '{' -> obj()
            '[' -> array()
            '"' -> string()
            't' -> literal("true", true)
            'f' -> literal("false", false)
            'n' -> literal("null", null)
            else -> number()
        }
    }

    private fun literal(word: String, value: Any?): Any? {
        require(text.startsWith(word, at)) { "bad literal at $at" }
        at += word.length
        return value
    }

    private fun obj(): Map<String, Any?> {
        val map = LinkedHashMap<String, Any?>()
        at++
        space()
        if (text[at] == '}') { at++; return map }
        while (true) {
            space()
            val key = string()
            space()
            require(text[at] == ':') { "expected : at $at" }
            at++
            map[key] = value()
            space()
            when (text[at++]) {
                ',' -> continue
                '}' -> return map
                else -> throw IllegalArgumentException("expected , or } at ${at - 1}")
            }
        }
    }

    private fun array(): List<Any?> {
        val list = ArrayList<Any?>()
        at++
        space()
        if (text[at] == ']') { at++; return list }
        while (true) {
            list.add(value())
            space()
            when (text[at++]) {
                ',' -> continue
                ']' -> return list
                else -> throw IllegalArgumentException("expected , or ] at ${at - 1}")
            }
        }
    }

    private fun string(): String {
        require(text[at] == '"') { "expected a string at $at" }
        at++
        val out = StringBuilder()
        while (true) {
            val c = text[at++]
            when (c) {
                '"' -> return out.toString()
                '\\' -> {
                    val e = text[at++]
                    when (e) {
                        'n' -> out.append('\n'); 't' -> out.append('\t'); 'r' -> out.append('\r')
                        'b' -> out.append('\b'); 'f' -> out.append('\u000c')
                        'u' -> { out.append(text.substring(at, at + 4).toInt(16).toChar()); at += 4 }
                        else -> out.append(e)
                    }
                }
                else -> out.append(c)
            }
        }
    }

    private fun number(): Any {
        val start = at
        while (at < text.length && (text[at].isDigit() || text[at] in "+-.eE")) at++
        val literal = text.substring(start, at)
        require(literal.isNotEmpty()) { "unexpected character at $start" }
        if (literal.any { it in ".eE" }) return literal.toDouble()
        return literal.toLongOrNull() ?: BigInteger(literal)
    }
}

fun parseJson(text: String): Any? = JsonReader(text).read()

/** Compact JSON text of a value read by [parseJson]. */
fun toJson(value: Any?): String = when (value) {
    null -> "null"
    is String -> buildString {
        append('"')
        for (c in value) when {
            c == '"' -> append("\\\"")
            c == '\\' -> append("\\\\")
            c < ' ' -> append("\\u%04x".format(c.code))
            else -> append(c)
        }
        append('"')
    }
    is Map<*, *> -> value.entries.joinToString(",", "{", "}") { toJson(it.key as String) + ":" + toJson(it.value) }
    is List<*> -> value.joinToString(",", "[", "]") { toJson(it) }
    else -> value.toString()
}

/** JSON equality as serde_json's: true is not 1, 1 is not 1.0; objects ignore key order. */
fun strictEqual(a: Any?, b: Any?): Boolean = when {
    a == null || b == null -> a == null && b == null
    a is Map<*, *> && b is Map<*, *> -> a.keys == b.keys && a.keys.all { strictEqual(a[it], b[it]) }
    a is List<*> && b is List<*> -> a.size == b.size && a.indices.all { strictEqual(a[it], b[it]) }
    else -> a::class == b::class && a == b
}

fun dropNulls(value: Any?): Any? = when (value) {
    is Map<*, *> -> value.filterValues { it != null }.mapValues { dropNulls(it.value) }
    is List<*> -> value.map { dropNulls(it) }
    else -> value
}
