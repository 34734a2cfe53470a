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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RunControl} of a Runcast node. It records control requests as events through the
 * {@link Engine}, and learns what it needs from the committed stream (it is a {@link CommitListener}):
 * pending decisions from {@code decision.requested}, answers from {@code decision.resolved}, ends from
 * terminal events. Because it reads the stream rather than an in-process registry, decisions and
 * control work the same for runs produced in this process and runs produced remotely over HTTP; a
 * decision it never saw (requested before a restart, or through another node) is looked up in the
 * run's history.
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
    private final Decisions decisions;
    private final Map<String, List<RunObserver>> observers = new ConcurrentHashMap<>();
    private final List<CommitListener> taps = new CopyOnWriteArrayList<>();

    public StreamControl(Engine engine, ScheduledExecutorService timers) {
        this(engine, timers, Clock.systemUTC());
    }

    /**
     * @param timers runs decision timeouts, and completes decision waiters off the committing thread
     * @param clock  "now" for decision deadlines; it must agree with the clock that stamps event times
     */
    public StreamControl(Engine engine, ScheduledExecutorService timers, Clock clock) {
        this.engine = engine;
        this.decisions = new Decisions(engine, timers, clock);
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
        observers.computeIfAbsent(run, r -> new CopyOnWriteArrayList<>()).add(observer);
        return () -> observers.computeIfPresent(run, (r, list) -> {
            list.remove(observer);
            return list.isEmpty() ? null : list;
        });
    }

    /**
     * A future that completes with the {@code decision.resolved} event of a decision, or fails with
     * {@code RUN_CLOSED} when the run ends first. Ask before appending {@code decision.requested} so a
     * fast answer cannot be missed. It completes on the timers thread: dependants must not block.
     */
    public CompletableFuture<Event> awaitDecision(String run, String decision) {
        return decisions.await(run, decision);
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
        return decisions.pending(run);
    }

    // ---- RunControl --------------------------------------------------------------------------

    @Override
    public CompletionStage<Event> cancel(String run, String by, String reason) {
        List<RunObserver> watching = List.copyOf(observers.getOrDefault(run, List.of()));
        try {
            Optional<RunInfo> info = engine.info(run);
            if (info.isEmpty() && watching.isEmpty()) throw notFound(run);
            if (info.isPresent() && info.get().closed()) throw closed(run);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
        ObjectNode data = Json.object();
        data.put("by", by);
        if (reason != null) data.put("reason", reason);
        // Stop the work first, then record: the event never waits for the agents.
        for (RunObserver o : watching) {
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
        try {
            return decisions.decide(run, requireOpen(run), decision, choice, by);
        } catch (RuncastException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    // ---- CommitListener ----------------------------------------------------------------------

    @Override
    public void committed(String run, List<Event> events) {
        List<RunObserver> watching = observers.get(run);
        for (Event e : events) {
            try {
                switch (e.type()) {
                    case EventTypes.DECISION_REQUESTED -> decisions.requested(run, e);
                    case EventTypes.DECISION_RESOLVED -> decisions.resolved(run, e);
                    default -> { }
                }
                if (watching != null) {
                    for (RunObserver o : watching) notify(o, e);
                }
                if (e.isTerminal()) {
                    decisions.ended(run);
                    observers.remove(run);
                }
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

    // ---- helpers -----------------------------------------------------------------------------

    private void notify(RunObserver o, Event e) {
        try {
            o.committed(e);
        } catch (RuntimeException ex) {
            log.warn("run {}: observer failed on {}", e.run(), e.type(), ex);
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
}
