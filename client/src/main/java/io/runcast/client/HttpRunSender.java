package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Ids;
import io.runcast.event.Json;
import io.runcast.producer.PendingAcks;
import io.runcast.protocol.EncodedDraft;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.protocol.ServerLimits;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The queue of one run of an {@link HttpProducer}: sends one request at a time, in emit order, each
 * shaped to the server's limits. Thread-safe; the queue is guarded by this object.
 */
final class HttpRunSender {
    /** Refusals that concern single events, not the request: worth splitting a batch to isolate them. */
    private static final List<ErrorCode> PER_EVENT = List.of(ErrorCode.TOO_LARGE, ErrorCode.BAD_REQUEST, ErrorCode.INVALID_TYPE);

    private record Pending(EncodedDraft event, CompletableFuture<Long> seq) {}

    private final HttpProducer producer;
    private final String run;
    private final URI uri;
    private final PendingAcks acks = new PendingAcks();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean inFlight;

    HttpRunSender(HttpProducer producer, String run) {
        this.producer = producer;
        this.run = run;
        this.uri = producer.base().resolve("api/runs/" + URLEncoder.encode(run, StandardCharsets.UTF_8) + "/events");
    }

    String run() {
        return run;
    }

    PendingAcks acks() {
        return acks;
    }

    CompletionStage<Long> submit(EventDraft draft) {
        if (!EventTypes.isPublishable(draft.type())) {
            // Refuse locally: a bad draft would otherwise make the server refuse its whole batch.
            return CompletableFuture.failedFuture(new RuncastException(ErrorCode.INVALID_TYPE,
                    "unknown event type '" + draft.type() + "': use a catalogue type or one under x."));
        }
        EncodedDraft encoded;
        try {
            encoded = EncodedDraft.of(draft.key() == null ? draft.withKey(Ids.newId()) : draft);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        Pending p = new Pending(encoded, new CompletableFuture<>());
        acks.track(p.seq);
        boolean start;
        synchronized (this) {
            queue.add(p);
            start = !inFlight;
            inFlight = true;
        }
        if (start) sendNext();
        if (draft.isTerminal()) p.seq.whenComplete((v, e) -> producer.forget(run, this));
        return p.seq;
    }

    private void sendNext() {
        producer.limits().thenAccept(this::sendNext);
    }

    private void sendNext(ServerLimits limits) {
        List<Pending> batch = new ArrayList<>();
        Map<Pending, RuncastException> refused = new LinkedHashMap<>();
        synchronized (this) {
            int bytes = 0;
            while (!queue.isEmpty()) {
                Pending p = queue.peek();
                RuncastException no = limits.refusal(p.event);
                if (no != null) {
                    refused.put(queue.poll(), no);
                    continue;
                }
                int with = EncodedDraft.arrayBytes(bytes + p.event.bytes(), batch.size() + 1);
                if (!batch.isEmpty() && (batch.size() >= limits.maxBatch() || with > limits.maxFrameBytes())) break;
                batch.add(queue.poll());
                bytes += p.event.bytes();
                // The store refuses a terminal event that is not last in its batch: it ends the request.
                if (p.event.draft().isTerminal()) break;
            }
            if (batch.isEmpty()) inFlight = false;
        }
        refused.forEach((p, e) -> p.seq.completeExceptionally(e));
        if (!batch.isEmpty()) send(batch, this::sendNext);
    }

    /** Sends one batch; on a per-event refusal of several, sends each half in turn instead. Then runs {@code then}. */
    private void send(List<Pending> batch, Runnable then) {
        producer.post(uri, body(batch), 1).whenComplete((resp, err) -> {
            Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (cause != null) {
                fail(batch, cause instanceof RuncastException r ? r : new RuncastException(ErrorCode.UNAVAILABLE, cause.toString(), cause));
            } else if (resp.statusCode() == 200) {
                acknowledge(resp, batch);
            } else {
                RuncastException refusal = HttpProducer.errorOf(resp);
                if (batch.size() > 1 && PER_EVENT.contains(refusal.code())) {
                    // Nothing was appended (a batch is all or nothing): isolate the event the server refused.
                    List<Pending> first = batch.subList(0, batch.size() / 2);
                    List<Pending> second = batch.subList(batch.size() / 2, batch.size());
                    send(first, () -> send(second, then));
                    return;
                }
                fail(batch, refusal);
            }
            then.run();
        });
    }

    /** One event as its own object, several as an array: what was measured is what is sent. */
    private static String body(List<Pending> batch) {
        if (batch.size() == 1) return batch.get(0).event.json();
        StringBuilder sb = new StringBuilder(batch.size() * 128).append('[');
        for (int i = 0; i < batch.size(); i++) {
            if (i > 0) sb.append(',');
            sb.append(batch.get(i).event.json());
        }
        return sb.append(']').toString();
    }

    private static void acknowledge(HttpResponse<String> resp, List<Pending> batch) {
        try {
            JsonNode accepted = Json.parse(resp.body()).path("accepted");
            for (int i = 0; i < batch.size(); i++) batch.get(i).seq.complete(accepted.path(i).path("seq").asLong());
        } catch (RuntimeException e) {
            fail(batch, new RuncastException(ErrorCode.INTERNAL, "unreadable answer: " + e.getMessage(), e));
        }
    }

    private static void fail(List<Pending> batch, RuncastException failure) {
        batch.forEach(p -> p.seq.completeExceptionally(failure));
    }
}
