package io.runcast.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.engine.Engine;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.CommitListener;
import io.runcast.store.RunInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunControl} of a Runcast node. It records control requests as events through the
 * {@link Engine}, and learns what it needs from the committed stream (it is a {@link CommitListener}):
 * pending decisions from {@code decision.requested}, answers from {@code decision.resolved}, ends from
 * terminal events. Because it reads the stream rather than an in-process registry, decisions and
 * control work the same for runs produced in this process and runs produced remotely over HTTP.
 *
 * <p>Runs executing in this process register a {@link RunObserver} with {@link #watch} so that a cancel
 * really stops their work (cooperative flag plus interruption) and pauses reach them. A run that is
 * registered but has not appended anything yet can already be cancelled, so a cancel that races the
 * run's start is not lost.
 *
 * <p>Wiring: feed it every committed event — before the {@link io.runcast.hub.Hub}, so that a client
 * that answers a decision the instant it sees it finds the decision known. {@link #committed} only
 * updates maps and schedules timers; it never blocks and never appends.
 */
public final class StreamControl implements RunControl, CommitListener {
    private static final Logger log = LoggerFactory.getLogger(StreamControl.class);
    /** The {@code by} of a decision resolved because nobody answered in time. */
    public static final String BY_TIMEOUT = "timeout";

    private final Engine engine;
    private final ScheduledExecutorService timers;
    private final Map<String, RunState> runs = new ConcurrentHashMap<>();
    private final List<CommitListener> taps = new CopyOnWriteArrayList<>();

    public StreamControl(Engine engine, ScheduledExecutorService timers) {
        this.engine = engine;
        this.timers = timers;
    }

    /** What the control keeps per run: decisions and observers. Dropped when the run ends. */
    private static final class RunState {
        final Map<String, PendingDecision> decisions = new ConcurrentHashMap<>();
        final List<RunObserver> observers = new CopyOnWriteArrayList<>();
    }

    public Engine engine() {
        return engine;
    }

    // ---- registration ----------------------------------------------------------------------

    /**
     * Registers an observer for a run executing in this process. Register before the run's first
     * append; from then on a cancel of the run is accepted even if the store does not know it yet.
     * Closing the returned handle unregisters.
     */
    public AutoCloseable watch(String run, RunObserver observer) {
        RunState state = runs.computeIfAbsent(run, r -> new RunState());
        state.observers.add(observer);
        return () -> {
            RunState s = runs.get(run);
            if (s != null) s.observers.remove(observer);
        };
    }

    /**
     * A future that completes with the {@code decision.resolved} event of a decision, or fails with
     * {@code RUN_CLOSED} when the run ends first. Ask before appending {@code decision.requested} so a
     * fast answer cannot be missed. It completes on the timers thread: dependants must not block.
     */
    public CompletableFuture<Event> awaitDecision(String run, String decision) {
        return decision(runs.computeIfAbsent(run, r -> new RunState()), decision).outcome;
    }

    /**
     * Adds a listener told of every committed event after the control has processed it (used by
     * event handlers). It is called on the committing thread and must not block. Close the returned
     * handle to remove it.
     */
    public AutoCloseable tap(CommitListener listener) {
        taps.add(listener);
        return () -> taps.remove(listener);
    }

    /** Number of decisions requested and not yet resolved on a run (for tests and health). */
    public int pendingDecisions(String run) {
        RunState s = runs.get(run);
        if (s == null) return 0;
        return (int) s.decisions.values().stream().filter(d -> d.request != null && !d.resolved.get()).count();
    }

    // ---- RunControl --------------------------------------------------------------------------

    @Override
    public CompletionStage<Event> cancel(String run, String by, String reason) {
        RunState state = runs.get(run);
        List<RunObserver> observers = state == null ? List.of() : List.copyOf(state.observers);
        try {
            Optional<RunInfo> info = engine.info(run);
            if (info.isEmpty() && observers.isEmpty()) throw notFound(run);
            if (info.isPresent() && info.get().closed()) throw closed(run);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        ObjectNode data = Json.object();
        data.put("by", by);
        if (reason != null) data.put("reason", reason);
        for (RunObserver o : observers) {
            try {
                o.cancelRequested(by, reason);
                ObjectNode extra = o.cancelData();
                if (extra != null) extra.fields().forEachRemaining(f -> data.putIfAbsent(f.getKey(), f.getValue()));
            } catch (RuntimeException e) {
                log.warn("run {}: observer failed on cancel", run, e);
            }
        }
        return append(run, EventDraft.of(EventTypes.RUN_CANCELLED, data));
    }

    @Override
    public CompletionStage<Event> pause(String run, String by) {
        return lifecycle(run, EventTypes.RUN_PAUSED, by);
    }

    @Override
    public CompletionStage<Event> resume(String run, String by) {
        return lifecycle(run, EventTypes.RUN_RESUMED, by);
    }

    private CompletionStage<Event> lifecycle(String run, String type, String by) {
        try {
            requireOpen(run);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        ObjectNode data = Json.object();
        data.put("by", by);
        return append(run, EventDraft.of(type, data));
    }

    @Override
    public CompletionStage<Event> decide(String run, String decision, JsonNode choice, String by) {
        PendingDecision d;
        try {
            RunInfo info = requireOpen(run);
            RunState state = runs.get(run);
            d = state == null ? null : state.decisions.get(decision);
            if (d == null || d.request == null) d = fromHistory(run, decision, info);
            if (d == null || d.request == null) {
                throw new RuncastException(ErrorCode.DECISION_NOT_FOUND, "run " + run + " has no decision " + decision);
            }
            if (d.resolved.get()) throw decisionClosed(run, decision);
            Choices.check(d.request, choice);
            if (!d.resolved.compareAndSet(false, true)) throw decisionClosed(run, decision);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        d.cancelTimer();
        ObjectNode data = Json.object();
        data.put("decision", decision);
        data.set("choice", choice);
        data.put("by", by);
        if (choice.isTextual() && Choices.SKIP.equals(choice.asText()) && d.request.path("can_skip").asBoolean(false)) {
            data.put("skipped", true);
        }
        return append(run, d.resolution(data));
    }

    // ---- CommitListener ----------------------------------------------------------------------

    @Override
    public void committed(String run, List<Event> events) {
        RunState state = runs.get(run);
        for (Event e : events) {
            try {
                switch (e.type()) {
                    case EventTypes.DECISION_REQUESTED -> {
                        if (state == null) state = runs.computeIfAbsent(run, r -> new RunState());
                        requested(run, state, e);
                    }
                    case EventTypes.DECISION_RESOLVED -> {
                        if (state == null) state = runs.computeIfAbsent(run, r -> new RunState());
                        resolved(state, e);
                    }
                    default -> { }
                }
                if (state != null) {
                    for (RunObserver o : state.observers) notify(o, e);
                }
                if (e.isTerminal() && state != null) ended(run, state);
            } catch (RuntimeException ex) {
                log.warn("run {}: could not process committed {} #{}", run, e.type(), e.seq(), ex);
            }
        }
        for (CommitListener tap : taps) {
            try {
                tap.committed(run, events);
            } catch (RuntimeException ex) {
                log.warn("commit tap failed", ex);
            }
        }
    }

    private void requested(String run, RunState state, Event e) {
        ObjectNode data = e.dataNode();
        String id = data.path("decision").asText(null);
        if (id == null || id.isEmpty()) {
            log.warn("run {}: decision.requested #{} has no data.decision; it cannot be answered", run, e.seq());
            return;
        }
        PendingDecision d = decision(state, id);
        synchronized (d) { // the live stream and a history lookup may both bring the request
            if (d.request != null) return; // a repeated request id: the first one stands
            d.step = e.step();
            d.agent = e.agent();
            d.request = data;
        }
        double seconds = data.path("timeout_seconds").asDouble(0);
        if (seconds > 0 && !d.resolved.get()) {
            // Counted from the request's time, so a decision found in history keeps its deadline.
            long left = Math.round(seconds * 1000) - Math.max(0, Duration.between(e.time(), Instant.now()).toMillis());
            try {
                d.timer = timers.schedule(() -> timeOut(run, d), Math.max(0, left), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ex) {
                log.warn("run {}: timers are shut down; decision {} will not time out", run, id);
            }
        }
    }

    /** A decision this control never saw in the live stream, looked up in the run's history. */
    private PendingDecision fromHistory(String run, String id, RunInfo info) {
        DecisionHistory.Found found = DecisionHistory.find(engine.store(), run, id, info.head());
        if (found == null) return null;
        RunState state = runs.computeIfAbsent(run, r -> new RunState());
        requested(run, state, found.request());
        PendingDecision d = state.decisions.get(id);
        if (found.resolved()) {
            d.resolved.set(true);
            d.cancelTimer();
        } else if (overdue(found.request())) {
            timeOut(run, d); // its deadline passed while nobody here knew of it: the default stands, not a late answer
        }
        return d;
    }

    private static boolean overdue(Event request) {
        double seconds = request.dataNode().path("timeout_seconds").asDouble(0);
        return seconds > 0 && request.time().plusMillis(Math.round(seconds * 1000)).isBefore(Instant.now());
    }

    private void resolved(RunState state, Event e) {
        String id = e.dataNode().path("decision").asText(null);
        if (id == null) return;
        PendingDecision d = decision(state, id);
        d.resolved.set(true); // also covers answers appended directly by a remote producer
        d.cancelTimer();
        completeLater(d, e);
    }

    private void ended(String run, RunState state) {
        runs.remove(run, state);
        RuncastException closed = closed(run);
        for (PendingDecision d : state.decisions.values()) {
            d.resolved.set(true);
            d.cancelTimer();
            if (!d.outcome.isDone()) {
                try {
                    timers.execute(() -> d.outcome.completeExceptionally(closed));
                } catch (RejectedExecutionException ex) {
                    d.outcome.completeExceptionally(closed);
                }
            }
        }
    }

    private void timeOut(String run, PendingDecision d) {
        if (!d.resolved.compareAndSet(false, true)) return;
        ObjectNode data = Json.object();
        data.put("decision", d.id);
        JsonNode dflt = d.defaultChoice();
        if (dflt != null) data.set("choice", dflt);
        data.put("by", BY_TIMEOUT);
        data.put("timed_out", true);
        append(run, d.resolution(data)).whenComplete((ev, err) -> {
            if (err != null) log.debug("run {}: timeout of decision {} not recorded: {}", run, d.id, err.toString());
        });
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static PendingDecision decision(RunState state, String id) {
        return state.decisions.computeIfAbsent(id, PendingDecision::new);
    }

    private void notify(RunObserver o, Event e) {
        try {
            o.committed(e);
        } catch (RuntimeException ex) {
            log.warn("run {}: observer failed on {}", e.run(), e.type(), ex);
        }
    }

    /** Completes waiters off the committing thread, since their dependants are not ours to vet. */
    private void completeLater(PendingDecision d, Event e) {
        if (d.outcome.isDone()) return;
        try {
            timers.execute(() -> d.outcome.complete(e));
        } catch (RejectedExecutionException ex) {
            d.outcome.complete(e);
        }
    }

    private RunInfo requireOpen(String run) {
        Optional<RunInfo> info = engine.info(run);
        if (info.isEmpty()) throw notFound(run);
        if (info.get().closed()) throw closed(run);
        return info.get();
    }

    private CompletionStage<Event> append(String run, EventDraft draft) {
        return engine.publish(run, draft).thenApply(a -> a.event());
    }

    private static RuncastException notFound(String run) {
        return new RuncastException(ErrorCode.NOT_FOUND, "no run " + run);
    }

    private static RuncastException closed(String run) {
        return new RuncastException(ErrorCode.RUN_CLOSED, "run " + run + " has ended");
    }

    private static RuncastException decisionClosed(String run, String decision) {
        return new RuncastException(ErrorCode.DECISION_CLOSED, "decision " + decision + " of run " + run + " was already resolved");
    }
}
