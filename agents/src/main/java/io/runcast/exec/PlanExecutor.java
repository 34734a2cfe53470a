package io.runcast.exec;

import io.runcast.control.StreamControl;
import io.runcast.engine.Engine;
import io.runcast.engine.InProcessProducer;
import io.runcast.producer.RunHandle;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link Plan}s in this process and streams them: {@code run.started}, {@code step.started},
 * what the agents report, {@code step.completed}/{@code step.failed}, retries as
 * {@code error.recovery}, and exactly one terminal event with a telemetry summary.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Independent steps run in parallel, at most {@link ExecutorConfig#parallelism()} per run; a step
 *       starts once all the steps it depends on completed, never while the run is paused.</li>
 *   <li>A step's attempt that throws or outlives its timeout is retried per its {@link Retry}; when no
 *       attempt is left the step fails and so does the run ({@code run.failed}, {@code data.reason}).</li>
 *   <li>Cancel (through {@link StreamControl}, from any transport) interrupts every running agent and
 *       closes what it registered; {@code run.cancelled} is appended by the control at once.</li>
 *   <li>{@link #close()} fails the runs still going with reason {@code executor shutdown}.</li>
 *   <li>Every run ends with exactly one terminal event; {@link RunExecution#done()} completes with it.</li>
 * </ul>
 */
public final class PlanExecutor implements AutoCloseable {
    private final Engine engine;
    private final StreamControl control;
    private final ExecutorConfig config;
    private final InProcessProducer producer;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final EventHandlers handlers;
    private final AutoCloseable tap;
    private final Map<String, Execution> active = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public PlanExecutor(Engine engine, StreamControl control, ExecutorConfig config) {
        this.engine = engine;
        this.control = control;
        this.config = config;
        this.producer = new InProcessProducer(engine);
        this.workers = Executors.newCachedThreadPool(daemon("runcast-agent-"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemon("runcast-exec-timer-"));
        this.handlers = new EventHandlers(workers, EventHandlers.DEFAULT_QUEUE);
        this.tap = control.tap(handlers);
    }

    /**
     * Starts a plan as run {@code run}. Returns once the run is registered with the control (so a cancel
     * from now on is never lost); the events follow asynchronously.
     *
     * @throws RuncastException INVALID_RUN for a bad id, RUN_CLOSED when the run already ended,
     *                          UNAVAILABLE when the executor is closed, BAD_REQUEST when it is already executing here
     */
    public RunExecution start(String run, Plan plan) {
        if (closed) throw new RuncastException(ErrorCode.UNAVAILABLE, "the executor is shut down");
        engine.checkRun(run);
        if (engine.info(run).map(i -> i.closed()).orElse(false)) {
            throw new RuncastException(ErrorCode.RUN_CLOSED, "run " + run + " has already ended");
        }
        Execution ex = new Execution(run, plan, this);
        if (active.putIfAbsent(run, ex) != null) {
            throw new RuncastException(ErrorCode.BAD_REQUEST, "run " + run + " is already executing");
        }
        ex.start();
        return ex;
    }

    /** Server-side hooks on committed events, isolated from streaming. */
    public EventHandlers handlers() {
        return handlers;
    }

    /** Whether the run is executing on this executor now. */
    public boolean executing(String run) {
        return active.containsKey(run);
    }

    /** Runs executing now. */
    public List<RunExecution> active() {
        return List.copyOf(active.values());
    }

    @Override
    public void close() {
        closed = true;
        List<Execution> running = List.copyOf(active.values());
        for (Execution ex : running) ex.fail("executor shutdown", null);
        try {
            CompletableFuture.allOf(running.stream().map(e -> e.done().exceptionally(t -> null)).toArray(CompletableFuture[]::new))
                    .get(config.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // Waited long enough: the events are appended, only their notification may be pending.
        }
        handlers.close();
        try {
            tap.close();
        } catch (Exception ignored) {
            // Removing a listener from a list cannot fail.
        }
        workers.shutdownNow();
        timers.shutdownNow();
    }

    // ---- for Execution -----------------------------------------------------------------------

    StreamControl control() {
        return control;
    }

    ExecutorConfig config() {
        return config;
    }

    ExecutorService workers() {
        return workers;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    RunHandle out(String run) {
        return producer.attach(run);
    }

    /** Runs on the worker pool, or right here once the pool is shut down (so ends are still delivered). */
    void async(Runnable r) {
        try {
            workers.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            r.run();
        }
    }

    void finished(Execution ex) {
        active.remove(ex.run, ex);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
