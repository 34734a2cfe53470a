package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.protocol.ServerLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Produces into a remote Runcast over HTTP ({@code POST /api/runs/{run}/events}).
 *
 * <p>Per run, at most one request is in flight; whatever is emitted meanwhile is queued and sent as one
 * array in the next request. That keeps the append order equal to the emit order and turns a burst of
 * token deltas into a few requests. Requests are shaped to the limits the server states in
 * {@code GET /api/health} (asked once, lazily; {@link ServerLimits#DEFAULTS} if it states none): at most
 * {@code max_batch} events and {@code max_frame_bytes} of body each, and a terminal event always ends
 * its request. An event the server would refuse on its own (data over {@code max_event_bytes}, a name
 * too long) fails alone, locally, with the server's code; should the server still refuse a batch for
 * one event's sake, the batch is split until that event stands alone, so no other event is lost.
 *
 * <p>Every draft gets an idempotency key, so a request that failed in transit (or whose answer was
 * lost) is retried with backoff without appending twice.
 */
public final class HttpProducer implements RunProducer {
    static final int MAX_TRIES = 4;

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;
    private final String token;
    private final Map<String, HttpRunSender> senders = new ConcurrentHashMap<>();
    private CompletableFuture<ServerLimits> limits; // guarded by this; null until first asked

    /** @param base the server's root, e.g. {@code http://localhost:8000/} */
    public HttpProducer(URI base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(10), null);
    }

    /** @param token a bearer token sent as {@code Authorization}, or null */
    public HttpProducer(URI base, HttpClient client, Duration timeout, String token) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b : b + "/");
        this.client = client;
        this.timeout = timeout;
        this.token = token;
    }

    @Override
    public RunHandle attach(String run) {
        HttpRunSender sender = senders.computeIfAbsent(run, r -> new HttpRunSender(this, r));
        return new Handle(sender, null, null);
    }

    /**
     * The server's limits, asked with {@code GET /api/health} on first use. Never fails: a server that
     * states none (or cannot be asked) yields {@link ServerLimits#DEFAULTS}; after a failed lookup the
     * next batch asks again.
     */
    public synchronized CompletionStage<ServerLimits> limits() {
        if (limits == null) {
            CompletableFuture<ServerLimits> asked = new CompletableFuture<>();
            limits = asked;
            client.sendAsync(request(base.resolve("api/health")).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((resp, err) -> {
                        ServerLimits stated = null;
                        if (err == null && resp.statusCode() == 200) {
                            try {
                                stated = ServerLimits.fromJson(Json.parse(resp.body()).get("limits"));
                            } catch (IllegalArgumentException notJson) {
                                // not a Runcast health answer: use the defaults
                            }
                        }
                        if (err != null || resp.statusCode() >= 500) forgetLimits(asked);
                        asked.complete(stated != null ? stated : ServerLimits.DEFAULTS);
                    });
        }
        return limits;
    }

    private synchronized void forgetLimits(CompletableFuture<ServerLimits> failed) {
        if (limits == failed) limits = null;
    }

    HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout);
        if (token != null) rb.header("Authorization", "Bearer " + token);
        return rb;
    }

    /** Posts a body, retrying lost requests and transient answers (502/503/504/429) with backoff. */
    CompletableFuture<HttpResponse<String>> post(URI uri, String body, int attempt) {
        HttpRequest req = request(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).handle((resp, err) -> {
            if (!retryable(err, resp) || attempt >= MAX_TRIES) {
                if (err != null) {
                    return CompletableFuture.<HttpResponse<String>>failedFuture(
                            new RuncastException(ErrorCode.UNAVAILABLE, "cannot reach " + uri + ": " + err, err));
                }
                return CompletableFuture.completedFuture(resp);
            }
            // same body, same idempotency keys: a request that did land is answered as a duplicate
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(100L << attempt, TimeUnit.MILLISECONDS))
                    .thenCompose(x -> post(uri, body, attempt + 1));
        }).thenCompose(f -> f);
    }

    private static boolean retryable(Throwable err, HttpResponse<String> resp) {
        if (err != null) return true;
        int s = resp.statusCode();
        return s == 503 || s == 502 || s == 504 || s == 429;
    }

    static RuncastException errorOf(HttpResponse<String> resp) {
        try {
            JsonNode e = Json.parse(resp.body()).path("error");
            return new RuncastException(ErrorCode.fromWire(e.path("code").asText()), e.path("message").asText("HTTP " + resp.statusCode()));
        } catch (RuntimeException ex) {
            return new RuncastException(resp.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INTERNAL,
                    "HTTP " + resp.statusCode() + ": " + resp.body());
        }
    }

    URI base() {
        return base;
    }

    /** The run's queue is done with (its terminal event landed): a long-lived producer does not grow. */
    void forget(String run, HttpRunSender sender) {
        senders.remove(run, sender);
    }

    @Override
    public void close() {
        for (HttpRunSender s : senders.values()) {
            try {
                s.acks().flush().toCompletableFuture().get(timeout.toMillis() * MAX_TRIES, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Best effort: the failures were already reported through the emit stages.
            }
        }
        senders.clear();
    }

    private static final class Handle implements RunHandle {
        private final HttpRunSender sender;
        private final String step;
        private final String agent;

        Handle(HttpRunSender sender, String step, String agent) {
            this.sender = sender;
            this.step = step;
            this.agent = agent;
        }

        @Override public String run() { return sender.run(); }
        @Override public String step() { return step; }
        @Override public String agent() { return agent; }

        @Override
        public RunHandle scoped(String step, String agent) {
            return new Handle(sender, step, agent);
        }

        @Override
        public CompletionStage<Long> emit(io.runcast.event.EventDraft draft) {
            return sender.submit(draft);
        }

        @Override
        public CompletionStage<Void> flush() {
            return sender.acks().flush();
        }
    }
}
