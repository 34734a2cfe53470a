package io.runcast.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.RunInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions half of {@link StreamControl}: pending decisions per run, learned from the committed
 * stream (or, for ones it never saw, from history), answers validated and resolved once, timeouts.
 * The {@code requested}/{@code resolved}/{@code ended} methods are called from the commit path and never
 * block or append; {@code decide} and the timers append.
 */
final class Decisions {
    private static final Logger log = LoggerFactory.getLogger(Decisions.class);

    private final Engine engine;
    private final ScheduledExecutorService timers;
    /** "Now" for decision deadlines, which count from the request's time (stamped by the store's clock). */
    private final Clock clock;
    private final Map<String, Map<String, PendingDecision>> byRun = new ConcurrentHashMap<>();

    Decisions(Engine engine, ScheduledExecutorService timers, Clock clock) {
        this.engine = engine;
        this.timers = timers;
        this.clock = clock;
    }

    CompletableFuture<Event> await(String run, String id) {
        return entry(run, id).outcome;
    }

    int pending(String run) {
        Map<String, PendingDecision> m = byRun.get(run);
        return m == null ? 0 : (int) m.values().stream().filter(d -> d.request != null && !d.resolved.get()).count();
    }

    /** Answers a decision of an open run (the caller checked that and passes its info). */
    CompletionStage<Event> decide(String run, RunInfo info, String id, JsonNode choice, String by) {
        PendingDecision d = known(run, id);
        if (d == null) d = fromHistory(run, id, info);
        if (d == null) throw new RuncastException(ErrorCode.DECISION_NOT_FOUND, "run " + run + " has no decision " + id);
        if (d.resolved.get()) throw closed(run, id);
        Choices.check(d.request, choice);
        if (!d.resolved.compareAndSet(false, true)) throw closed(run, id);
        d.cancelTimer();
        ObjectNode data = Json.object();
        data.put("decision", id);
        data.set("choice", choice);
        data.put("by", by);
        if (choice.isTextual() && Choices.SKIP.equals(choice.asText()) && d.request.path("can_skip").asBoolean(false)) {
            data.put("skipped", true);
        }
        return append(run, d.resolution(data));
    }

    // ---- from the commit path (must not block) ------------------------------------------------

    void requested(String run, Event e) {
        ObjectNode data = e.dataNode();
        String id = data.path("decision").asText(null);
        if (id == null || id.isEmpty()) {
            log.warn("run {}: decision.requested #{} has no data.decision; it cannot be answered", run, e.seq());
            return;
        }
        PendingDecision d = entry(run, id);
        synchronized (d) { // the live stream and a history lookup may both bring the request
            if (d.request != null) return; // a repeated request id: the first one stands
            d.step = e.step();
            d.agent = e.agent();
            d.request = data;
        }
        double seconds = data.path("timeout_seconds").asDouble(0);
        if (seconds > 0 && !d.resolved.get()) {
            // Counted from the request's time, so a decision found in history keeps its deadline.
            long left = Math.round(seconds * 1000) - Math.max(0, Duration.between(e.time(), clock.instant()).toMillis());
            try {
                d.timer = timers.schedule(() -> timeOut(run, d), Math.max(0, left), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ex) {
                log.warn("run {}: timers are shut down; decision {} will not time out", run, id);
            }
        }
    }

    void resolved(String run, Event e) {
        String id = e.dataNode().path("decision").asText(null);
        if (id == null) return;
        PendingDecision d = entry(run, id);
        d.resolved.set(true); // also covers answers appended directly by a remote producer
        d.cancelTimer();
        completeLater(d, () -> d.outcome.complete(e));
    }

    /** The run ended: forget its decisions and release whoever still waits on one. */
    void ended(String run) {
        Map<String, PendingDecision> m = byRun.remove(run);
        if (m == null) return;
        RuncastException closed = new RuncastException(ErrorCode.RUN_CLOSED, "run " + run + " has ended");
        for (PendingDecision d : m.values()) {
            d.resolved.set(true);
            d.cancelTimer();
            if (!d.outcome.isDone()) completeLater(d, () -> d.outcome.completeExceptionally(closed));
        }
    }

    // ---- helpers -----------------------------------------------------------------------------

    private PendingDecision known(String run, String id) {
        Map<String, PendingDecision> m = byRun.get(run);
        PendingDecision d = m == null ? null : m.get(id);
        return d == null || d.request == null ? null : d;
    }

    private PendingDecision entry(String run, String id) {
        return byRun.computeIfAbsent(run, r -> new ConcurrentHashMap<>()).computeIfAbsent(id, PendingDecision::new);
    }

    /** A decision this control never saw in the live stream, looked up in the run's history. */
    private PendingDecision fromHistory(String run, String id, RunInfo info) {
        DecisionHistory.Found found = DecisionHistory.find(engine, run, id, info.head());
        if (found == null) return null;
        requested(run, found.request());
        PendingDecision d = entry(run, id);
        if (found.resolved()) {
            d.resolved.set(true);
            d.cancelTimer();
        } else if (overdue(found.request())) {
            timeOut(run, d); // its deadline passed while nobody here knew of it: the default stands, not a late answer
        }
        return d;
    }

    private boolean overdue(Event request) {
        double seconds = request.dataNode().path("timeout_seconds").asDouble(0);
        return seconds > 0 && request.time().plusMillis(Math.round(seconds * 1000)).isBefore(clock.instant());
    }

    private void timeOut(String run, PendingDecision d) {
        if (!d.resolved.compareAndSet(false, true)) return;
        ObjectNode data = Json.object();
        data.put("decision", d.id);
        JsonNode dflt = d.defaultChoice();
        if (dflt != null) data.set("choice", dflt);
        data.put("by", StreamControl.BY_TIMEOUT);
        data.put("timed_out", true);
        append(run, d.resolution(data)).whenComplete((ev, err) -> {
            if (err != null) log.debug("run {}: timeout of decision {} not recorded: {}", run, d.id, err.toString());
        });
    }

    /** Completes waiters off the committing thread, since their dependants are not ours to vet. */
    private void completeLater(PendingDecision d, Runnable completion) {
        if (d.outcome.isDone()) return;
        try {
            timers.execute(completion);
        } catch (RejectedExecutionException ex) {
            completion.run();
        }
    }

    private CompletionStage<Event> append(String run, EventDraft draft) {
        return engine.publish(run, draft).thenApply(a -> a.event());
    }

    private static RuncastException closed(String run, String id) {
        return new RuncastException(ErrorCode.DECISION_CLOSED, "decision " + id + " of run " + run + " was already resolved");
    }
}
