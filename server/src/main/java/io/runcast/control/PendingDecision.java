package io.runcast.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One decision of one run as the control knows it: the request (once {@code decision.requested} was
 * committed), whether it has been answered, and the future its waiters block on.
 */
final class PendingDecision {
    final String id;
    volatile ObjectNode request;
    /** The step and agent of the request, stamped on the resolution so it shows in the same place. */
    volatile String step;
    volatile String agent;
    /** Set once by whoever wins: an answer, the timeout, a committed decision.resolved, or the run's end. */
    final AtomicBoolean resolved = new AtomicBoolean();
    final CompletableFuture<Event> outcome = new CompletableFuture<>();
    volatile ScheduledFuture<?> timer;

    PendingDecision(String id) {
        this.id = id;
    }

    void cancelTimer() {
        ScheduledFuture<?> t = timer;
        if (t != null) t.cancel(false);
    }

    /** The {@code decision.resolved} draft; its idempotency key keeps a retried resolution from being appended twice. */
    EventDraft resolution(ObjectNode data) {
        String key = "decision.resolved:" + id;
        return EventDraft.of(EventTypes.DECISION_RESOLVED, step, agent, data).withKey(key.length() <= 128 ? key : key.substring(0, 128));
    }

    /** Null when the request has no usable default (absent or JSON null). */
    JsonNode defaultChoice() {
        JsonNode d = request == null ? null : request.get("default");
        return d == null || d.isNull() ? null : d;
    }
}
