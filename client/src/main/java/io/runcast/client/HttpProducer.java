package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Ids;
import io.runcast.event.Json;
import io.runcast.protocol.DraftParser;
import io.runcast.protocol.ErrorCode;
import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import io.runcast.protocol.RuncastException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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
 * token deltas into a few requests. Every draft gets an idempotency key, so a request that failed in
 * transit is retried (with backoff) without appending twice.
 */
public final class HttpProducer implements RunProducer {
    private static final int MAX_BATCH = 500;
    /** Keeps a request body well under the server's body limit (1 MiB by default) however large the events. */
    private static final int MAX_BATCH_BYTES = 256 * 1024;
    private static final int MAX_TRIES = 4;

    private final URI base;
    private final HttpClient client;
    private final Duration timeout;
    private final String token;
    private final Map<String, Sender> senders = new ConcurrentHashMap<>();

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
        Sender sender = senders.computeIfAbsent(run, Sender::new);
        return new Handle(sender, null, null);
    }

    @Override
    public void close() {
        for (Sender s : senders.values()) {
            try {
                s.flush().toCompletableFuture().get(timeout.toMillis() * MAX_TRIES, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Best effort: the failures were already reported through the emit stages.
            }
        }
        senders.clear();
    }

    private record Pending(EventDraft draft, CompletableFuture<Long> seq) {}

    /** The queue of one run; sends one batch at a time, in order. */
    private final class Sender {
        private final String run;
        private final URI uri;
        private final ArrayDeque<Pending> queue = new ArrayDeque<>();
        private boolean inFlight;
        private CompletableFuture<Long> last = CompletableFuture.completedFuture(0L);

        Sender(String run) {
            this.run = run;
            this.uri = base.resolve("api/runs/" + URLEncoder.encode(run, StandardCharsets.UTF_8) + "/events");
        }

        CompletionStage<Long> submit(EventDraft draft) {
            if (!EventTypes.isPublishable(draft.type())) {
                // Refuse locally: a bad draft would otherwise make the server refuse its whole batch.
                return CompletableFuture.failedFuture(new RuncastException(ErrorCode.INVALID_TYPE,
                        "unknown event type '" + draft.type() + "': use a catalogue type or one under x."));
            }
            EventDraft keyed = draft.key() == null ? draft.withKey(Ids.newId()) : draft;
            Pending p = new Pending(keyed, new CompletableFuture<>());
            boolean start;
            synchronized (this) {
                queue.add(p);
                last = p.seq;
                start = !inFlight;
                inFlight = true;
            }
            if (start) sendNext();
            if (keyed.isTerminal()) {
                // The run is over once this lands: forget its queue so a long-lived producer does not grow.
                p.seq.whenComplete((v, e) -> senders.remove(run, this));
            }
            return p.seq;
        }

        synchronized CompletionStage<Void> flush() {
            return last.handle((v, e) -> null);
        }

        private void sendNext() {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                int bytes = 0;
                while (!queue.isEmpty() && batch.size() < MAX_BATCH && (batch.isEmpty() || bytes + queue.peek().draft.data().length() <= MAX_BATCH_BYTES)) {
                    Pending p = queue.poll();
                    bytes += p.draft.data().length();
                    batch.add(p);
                }
                if (batch.isEmpty()) {
                    inFlight = false;
                    return;
                }
            }
            ArrayNode body = Json.MAPPER.createArrayNode();
            for (Pending p : batch) body.add(DraftParser.toJson(p.draft));
            send(Json.write(body), batch, 1);
        }

        private void send(String body, List<Pending> batch, int attempt) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (token != null) rb.header("Authorization", "Bearer " + token);
            client.sendAsync(rb.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((resp, err) -> {
                if (err == null && resp.statusCode() == 200) {
                    acknowledge(resp.body(), batch);
                } else if (retryable(err, resp) && attempt < MAX_TRIES) {
                    CompletableFuture.delayedExecutor(100L << attempt, TimeUnit.MILLISECONDS)
                            .execute(() -> send(body, batch, attempt + 1));
                    return;
                } else {
                    RuncastException failure = err != null
                            ? new RuncastException(ErrorCode.UNAVAILABLE, "cannot reach " + uri + ": " + err, err)
                            : errorOf(resp);
                    batch.forEach(p -> p.seq.completeExceptionally(failure));
                }
                sendNext();
            });
        }

        private void acknowledge(String body, List<Pending> batch) {
            try {
                JsonNode accepted = Json.parse(body).path("accepted");
                for (int i = 0; i < batch.size(); i++) batch.get(i).seq.complete(accepted.path(i).path("seq").asLong());
            } catch (RuntimeException e) {
                RuncastException failure = new RuncastException(ErrorCode.INTERNAL, "unreadable answer: " + e.getMessage(), e);
                batch.forEach(p -> p.seq.completeExceptionally(failure));
            }
        }
    }

    private static boolean retryable(Throwable err, HttpResponse<String> resp) {
        if (err != null) return true;
        int s = resp.statusCode();
        return s == 503 || s == 502 || s == 504 || s == 429;
    }

    private static RuncastException errorOf(HttpResponse<String> resp) {
        try {
            JsonNode e = Json.parse(resp.body()).path("error");
            return new RuncastException(ErrorCode.fromWire(e.path("code").asText()), e.path("message").asText("HTTP " + resp.statusCode()));
        } catch (RuntimeException ex) {
            return new RuncastException(resp.statusCode() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.INTERNAL,
                    "HTTP " + resp.statusCode() + ": " + resp.body());
        }
    }

    private static final class Handle implements RunHandle {
        private final Sender sender;
        private final String step;
        private final String agent;

        Handle(Sender sender, String step, String agent) {
            this.sender = sender;
            this.step = step;
            this.agent = agent;
        }

        @Override public String run() { return sender.run; }
        @Override public String step() { return step; }
        @Override public String agent() { return agent; }

        @Override
        public RunHandle scoped(String step, String agent) {
            return new Handle(sender, step, agent);
        }

        @Override
        public CompletionStage<Long> emit(EventDraft draft) {
            return sender.submit(draft);
        }

        @Override
        public CompletionStage<Void> flush() {
            return sender.flush();
        }
    }
}
