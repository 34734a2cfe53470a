package io.runcast.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Where and how an {@link LlmClient} talks to an OpenAI-compatible chat-completions endpoint.
 *
 * @param baseUrl           the API base, e.g. {@code https://api.openai.com/v1} or {@code http://localhost:11434/v1};
 *                          the client POSTs to {@code {baseUrl}/chat/completions}
 * @param model             the {@code model} field of every request
 * @param apiKey            sent as {@code Authorization: Bearer …}; null (or blank) sends no such header, as local
 *                          servers need none
 * @param connectTimeout    how long the TCP (and TLS) connect may take
 * @param firstTokenTimeout how long after sending the request the first token (content, reasoning or tool call)
 *                          may take; covers the wait for the response headers too. Large by default because a
 *                          model that hides its reasoning says nothing until it has finished thinking
 * @param idleTimeout       once tokens flow, the longest gap between two chunks
 * @param maxRetries        retries after the first attempt for a retryable failure ({@link LlmException#retryable()})
 *                          that happened before anything streamed; 0 = never retry
 * @param retryBaseBackoff  the first retry waits about this long, each next one twice as long
 * @param retryMaxBackoff   no retry waits longer, whatever the backoff or the server's {@code Retry-After} says
 * @param extraFields       further request fields ({@code temperature}, {@code max_tokens}, …), copied into every
 *                          request; never one of the fields the client sets itself
 */
public record LlmConfig(String baseUrl, String model, String apiKey, Duration connectTimeout, Duration firstTokenTimeout,
                        Duration idleTimeout, int maxRetries, Duration retryBaseBackoff, Duration retryMaxBackoff,
                        ObjectNode extraFields) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_TOKEN_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** As the official OpenAI SDKs: two retries, from half a second. */
    public static final int DEFAULT_MAX_RETRIES = 2;
    public static final Duration DEFAULT_RETRY_BASE_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_RETRY_MAX_BACKOFF = Duration.ofSeconds(30);

    /** Request fields the client writes itself; {@link #extraFields} may not set them. */
    static final Set<String> RESERVED_FIELDS = Set.of("model", "messages", "tools", "tool_choice", "stream", "stream_options");

    public LlmConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        baseUrl = baseUrl.strip();
        while (baseUrl.endsWith("/")) baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        URI uri;
        try {
            uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: " + baseUrl);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http:// or https:// URL with a host, e.g. https://api.openai.com/v1: " + baseUrl);
        }
        if (uri.getQuery() != null || uri.getFragment() != null) {
            throw new IllegalArgumentException("baseUrl must not have a query or fragment: " + baseUrl);
        }
        if (baseUrl.endsWith("/chat/completions")) {
            throw new IllegalArgumentException("baseUrl is the API base (…/v1), not the endpoint: the client appends /chat/completions");
        }
        if (model == null || model.isBlank()) throw new IllegalArgumentException("model must be set");
        if (apiKey != null && apiKey.isBlank()) apiKey = null;
        positive(connectTimeout, "connectTimeout");
        positive(firstTokenTimeout, "firstTokenTimeout");
        positive(idleTimeout, "idleTimeout");
        if (maxRetries < 0) throw new IllegalArgumentException("maxRetries must be >= 0");
        positive(retryBaseBackoff, "retryBaseBackoff");
        Objects.requireNonNull(retryMaxBackoff, "retryMaxBackoff");
        if (retryMaxBackoff.compareTo(retryBaseBackoff) < 0) throw new IllegalArgumentException("retryMaxBackoff must be >= retryBaseBackoff");
        extraFields = extraFields == null ? Json.object() : extraFields.deepCopy();
        for (String reserved : RESERVED_FIELDS) {
            if (extraFields.has(reserved)) throw new IllegalArgumentException("extraFields may not set '" + reserved + "': the client sets it");
        }
    }

    /** A config with every default, for {@code baseUrl}, {@code model} and {@code apiKey} (null for none). */
    public static LlmConfig of(String baseUrl, String model, String apiKey) {
        return new LlmConfig(baseUrl, model, apiKey, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_TOKEN_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BASE_BACKOFF, DEFAULT_RETRY_MAX_BACKOFF, null);
    }

    /** The URL every request is POSTed to. */
    public URI endpoint() {
        return URI.create(baseUrl + "/chat/completions");
    }

    /** A copy: the record keeps its own, so changing the returned node changes nothing. */
    @Override
    public ObjectNode extraFields() {
        return extraFields.deepCopy();
    }

    public LlmConfig withTimeouts(Duration connect, Duration firstToken, Duration idle) {
        return new LlmConfig(baseUrl, model, apiKey, connect, firstToken, idle, maxRetries, retryBaseBackoff, retryMaxBackoff, extraFields);
    }

    public LlmConfig withRetries(int max, Duration baseBackoff, Duration maxBackoff) {
        return new LlmConfig(baseUrl, model, apiKey, connectTimeout, firstTokenTimeout, idleTimeout, max, baseBackoff, maxBackoff, extraFields);
    }

    public LlmConfig withExtraFields(ObjectNode fields) {
        return new LlmConfig(baseUrl, model, apiKey, connectTimeout, firstTokenTimeout, idleTimeout, maxRetries, retryBaseBackoff, retryMaxBackoff, fields);
    }

    /** Never prints the key: only whether there is one. */
    @Override
    public String toString() {
        return "LlmConfig[POST " + endpoint() + ", model " + model + ", key " + (apiKey == null ? "none" : "set")
                + ", connect " + connectTimeout.toMillis() + "ms, first token " + firstTokenTimeout.toMillis()
                + "ms, idle " + idleTimeout.toMillis() + "ms, retries " + maxRetries + " (" + retryBaseBackoff.toMillis()
                + "ms×2^n ≤ " + retryMaxBackoff.toMillis() + "ms), extra " + extraFields + "]";
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be > 0");
    }
}
