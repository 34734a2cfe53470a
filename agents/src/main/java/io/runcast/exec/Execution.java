package io.runcast.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.agent.DecisionTimeoutException;
import io.runcast.control.RunObserver;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.producer.SinkHandle;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a plan: the step state machine. Scheduling decisions are made under this object's
 * monitor; the {@link RunObserver} callbacks are lock-free (volatile flags, concurrent sets, hand-offs
 * to the worker pool) because the store may call them while it holds its own lock, and we append
 * while holding ours.
 */
final class Execution implements RunExecution, RunObserver {
    private static final Logger log = LoggerFactory.getLogger(Execution.class);

    final String run;
    final Plan plan;
    final PlanExecutor owner;
    final Telemetry telemetry = new Telemetry();
    final SinkHandle out;
    private final io.runcast.producer.RunHandle target;
    final Object pauseMonitor = new Object();
    private final CompletableFuture<Event> done = new CompletableFuture<>();
    private final Set<String> pending = new LinkedHashSet<>();
    private final Set<String> running = new LinkedHashSet<>();
    private final Map<String, JsonNode> results = new ConcurrentHashMap<>();
    private final Set<Attempt> attempts = ConcurrentHashMap.newKeySet();
    private final Set<ScheduledFuture<?>> backoffs = ConcurrentHashMap.newKeySet();
    volatile boolean cancelled;
    volatile boolean paused;
    /** Set once a terminal event was chosen here or seen in the stream: nothing else is appended. */
    private volatile boolean ended;
    private volatile AutoCloseable watch;

    Execution(String run, Plan plan, PlanExecutor owner) {
        this.run = run;
        this.plan = plan;
        this.owner = owner;
        this.out = new SinkHandle(run, null, null, this::emit);
        this.target = owner.out(run);
        plan.steps().forEach(s -> pending.add(s.id()));
    }

    void start() {
        watch = owner.control().watch(run, this);
        owner.async(() -> {
            if (cancelled || ended) return; // a cancel beat the start: run.cancelled is already recorded
            emit(EventDraft.of(EventTypes.RUN_STARTED, plan.describe())).whenComplete((seq, err) -> {
                if (err != null) appendFailed(err);
            });
            for (EventDraft d : plan.prelude()) {
                emit(d).whenComplete((seq, err) -> {
                    if (err != null) appendFailed(err);
                });
            }
            synchronized (this) {
                scheduleReady();
            }
        });
    }

    // ---- RunExecution ------------------------------------------------------------------------

    @Override public String run() { return run; }
    @Override public CompletableFuture<Event> done() { return done; }

    @Override
    public CompletionStage<Event> cancel(String by, String reason) {
        return owner.control().cancel(run, by, reason);
    }

    @Override
    public CompletionStage<Event> pause(String by) {
        return owner.control().pause(run, by);
    }

    @Override
    public CompletionStage<Event> resume(String by) {
        return owner.control().resume(run, by);
    }

    // ---- RunObserver (lock-free) -------------------------------------------------------------

    @Override
    public void cancelRequested(String by, String reason) {
        cancelled = true;
        stopAll(new CancellationException("run cancelled by " + by));
    }

    @Override
    public void committed(Event e) {
        switch (e.type()) {
            case EventTypes.RUN_STARTED -> telemetry.firstEvent();
            case EventTypes.RUN_PAUSED -> {
                paused = true;
                telemetry.paused(true);
            }
            case EventTypes.RUN_RESUMED -> {
                paused = false;
                telemetry.paused(false);
                synchronized (pauseMonitor) {
                    pauseMonitor.notifyAll();
                }
                owner.async(() -> {
                    synchronized (this) {
                        scheduleReady();
                    }
                });
            }
            default -> { }
        }
        if (e.isTerminal()) {
            ended = true;
            if (e.type().equals(EventTypes.RUN_CANCELLED)) cancelled = true;
            stopAll(new CancellationException("run ended: " + e.type()));
            owner.finished(this);
            owner.async(() -> {
                closeWatch();
                done.complete(e);
            });
        }
    }

    @Override
    public ObjectNode cancelData() {
        ObjectNode d = Json.object();
        d.set("summary", telemetry.summary());
        return d;
    }

    // ---- scheduling (under the monitor) ------------------------------------------------------

    private void scheduleReady() {
        if (ended || cancelled) return;
        for (Step s : plan.steps()) {
            if (paused || running.size() >= owner.config().parallelism()) break;
            if (!pending.contains(s.id()) || !results.keySet().containsAll(s.after())) continue;
            pending.remove(s.id());
            running.add(s.id());
            emit(StepEvents.started(s));
            attempt(s, 1, System.nanoTime());
        }
        // A paused run with nothing left to do still completes: pausing holds back steps, not the end.
        if (pending.isEmpty() && running.isEmpty()) {
            ended = true;
            ObjectNode d = Json.object();
            d.set("summary", telemetry.summary());
            appendTerminal(EventDraft.of(EventTypes.RUN_COMPLETED, d));
        }
    }

    private void attempt(Step s, int n, long stepStart) {
        Attempt a = new Attempt(s, n, stepStart);
        attempts.add(a);
        // Pairs with cancelRequested (flag, then stopAll over attempts): one of the two sees the other.
        if (ended || cancelled) {
            attempts.remove(a);
            return;
        }
        StepContext ctx = new StepContext(this, a);
        a.task = owner.workers().submit(() -> {
            if (a.dead()) return;
            try {
                JsonNode r = s.agent().run(ctx);
                a.result.complete(r == null ? NullNode.getInstance() : r);
            } catch (Throwable t) {
                a.result.completeExceptionally(t);
            }
        });
        // abort() may have run before a.task was set; one of us two cancels the task (dead and task are volatile).
        if (a.dead()) a.task.cancel(true);
        Duration timeout = s.timeout() != null ? s.timeout() : owner.config().stepTimeout();
        a.timer = owner.timers().schedule(() -> a.abort(new StepTimeoutException(s.id(), n, timeout)),
                timeout.toMillis(), TimeUnit.MILLISECONDS);
        a.result.whenCompleteAsync((r, err) -> {
            synchronized (this) {
                attemptDone(a, r, err);
            }
        }, owner.workers());
    }

    private void attemptDone(Attempt a, JsonNode r, Throwable err) {
        attempts.remove(a);
        a.timer.cancel(false);
        if (ended || cancelled) return;
        Step s = a.step;
        long ms = (System.nanoTime() - a.stepStartNanos) / 1_000_000;
        if (err == null) {
            running.remove(s.id());
            results.put(s.id(), r);
            telemetry.step(s.id(), ms);
            emit(StepEvents.completed(s, r, ms, a.number));
            scheduleReady();
            return;
        }
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (a.number < s.retry().maxAttempts() && !(cause instanceof DecisionTimeoutException)) {
            Duration backoff = s.retry().backoffBefore(a.number + 1);
            emit(StepEvents.retrying(s, message, a.number, backoff));
            ScheduledFuture<?>[] holder = new ScheduledFuture<?>[1];
            holder[0] = owner.timers().schedule(() -> owner.async(() -> {
                synchronized (this) {
                    backoffs.remove(holder[0]);
                    if (!ended && !cancelled) attempt(s, a.number + 1, a.stepStartNanos);
                }
            }), backoff.toMillis(), TimeUnit.MILLISECONDS);
            backoffs.add(holder[0]);
            return;
        }
        running.remove(s.id());
        telemetry.step(s.id(), ms);
        emit(StepEvents.failed(s, message, ms, a.number, cause instanceof StepTimeoutException));
        fail("step " + s.id() + " failed: " + message, s.id());
    }

    /** Ends the run with run.failed (a step failed for good, or the executor is shutting down). */
    synchronized void fail(String reason, String step) {
        if (ended || cancelled) return;
        ended = true;
        stopAll(new CancellationException("run failed: " + reason));
        ObjectNode d = Json.object();
        d.put("reason", reason);
        if (step != null) d.put("step", step);
        d.set("summary", telemetry.summary());
        appendTerminal(EventDraft.of(EventTypes.RUN_FAILED, d));
    }

    // ---- appending ---------------------------------------------------------------------------

    /** Every append of this run goes here: counted, and refused once the run has ended here. */
    CompletionStage<Long> emit(EventDraft draft) {
        if (ended && !draft.isTerminal()) {
            return CompletableFuture.failedFuture(new RuncastException(ErrorCode.RUN_CLOSED, "run " + run + " has ended"));
        }
        telemetry.emitted(draft);
        CompletionStage<Long> s = target.emit(draft);
        s.whenComplete((seq, err) -> {
            if (err != null && !draft.isTerminal()) log.debug("run {}: {} not appended: {}", run, draft.type(), err.toString());
        });
        return s;
    }

    private void appendTerminal(EventDraft draft) {
        appendTerminal(draft, 1);
    }

    /** The end must be recorded: a full or briefly unavailable store is retried (10 tries, ~5 s) before giving up. */
    private void appendTerminal(EventDraft draft, int attempt) {
        emit(draft).whenComplete((seq, err) -> {
            if (err == null) return;
            Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            boolean transientError = c instanceof RuncastException r
                    && (r.code() == ErrorCode.LIMIT_EXCEEDED || r.code() == ErrorCode.UNAVAILABLE);
            if (transientError && attempt < 10) {
                try {
                    owner.timers().schedule(() -> appendTerminal(draft, attempt + 1), 50L * attempt, TimeUnit.MILLISECONDS);
                    return;
                } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                    // fall through: nothing left to retry with
                }
            }
            appendFailed(c);
        });
    }

    /** RUN_CLOSED means someone else ended the run (we learn the event as an observer); anything else ends us here. */
    private void appendFailed(Throwable err) {
        Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (c instanceof RuncastException r && r.code() == ErrorCode.RUN_CLOSED) return;
        log.warn("run {}: could not record its end", run, c);
        ended = true;
        stopAll(new CancellationException("run could not be recorded"));
        owner.finished(this);
        closeWatch();
        done.completeExceptionally(c);
    }

    private void stopAll(Throwable why) {
        for (ScheduledFuture<?> b : backoffs) b.cancel(false);
        for (Attempt a : attempts) a.abort(why);
        synchronized (pauseMonitor) {
            pauseMonitor.notifyAll();
        }
    }

    private void closeWatch() {
        AutoCloseable w = watch;
        if (w == null) return;
        try {
            w.close();
        } catch (Exception ignored) {
            // Unregistering cannot meaningfully fail.
        }
    }

    Map<String, JsonNode> results() {
        return results;
    }

    boolean ended() {
        return ended;
    }
}
