package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client's requests awaiting an answer, by id. A request is sent on the open connection, or on
 * the next one if there is none; one already sent when its connection drops fails with
 * {@code UNAVAILABLE} instead of being resent, because it may or may not have happened.
 */
final class Requests {
    private record Pending(long id, ObjectNode frame, CompletableFuture<JsonNode> future, boolean[] sent) {}

    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Duration timeout;

    Requests(ScheduledExecutorService timer, Duration timeout) {
        this.timer = timer;
        this.timeout = timeout;
    }

    /** Registers {@code frame} (which must carry {@code id}) and sends it if {@code open} is not null. */
    CompletableFuture<JsonNode> start(long id, ObjectNode frame, Connection open) {
        Pending p = new Pending(id, frame, new CompletableFuture<>(), new boolean[1]);
        pending.put(id, p);
        timer.schedule(() -> {
            if (pending.remove(id) != null) {
                p.future.completeExceptionally(new RuncastException(ErrorCode.UNAVAILABLE,
                        frame.path("op").asText() + " got no answer within " + timeout));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (open != null) send(open, p);
        return p.future;
    }

    /** Sends every request not sent yet, on a connection that just opened. */
    void sendUnsent(Connection c) {
        for (Pending p : pending.values()) send(c, p);
    }

    private static void send(Connection c, Pending p) {
        synchronized (p.sent) {
            if (p.sent[0]) return;
            p.sent[0] = c.send(Json.write(p.frame));
        }
    }

    /** Completes the request with this id, if any; returns whether one was waiting. */
    boolean answer(long id, JsonNode reply) {
        Pending p = pending.remove(id);
        if (p == null) return false;
        p.future.complete(reply);
        return true;
    }

    boolean fail(long id, RuncastException error) {
        Pending p = pending.remove(id);
        if (p == null) return false;
        p.future.completeExceptionally(error);
        return true;
    }

    /** The connection dropped: requests that went out on it fail; unsent ones keep waiting. */
    void connectionLost() {
        List<Pending> sent = new ArrayList<>();
        for (Pending p : pending.values()) {
            synchronized (p.sent) {
                if (p.sent[0]) sent.add(p);
            }
        }
        for (Pending p : sent) fail(p.id, new RuncastException(ErrorCode.UNAVAILABLE, "connection lost before the answer"));
    }

    void failAll(RuncastException error) {
        for (Long id : List.copyOf(pending.keySet())) fail(id, error);
    }
}
