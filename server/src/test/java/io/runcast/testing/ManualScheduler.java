package io.runcast.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScheduledExecutorService} on virtual time, so a test sees timers positively — what was
 * scheduled, what was cancelled, what ran — instead of sleeping and hoping nothing happened.
 *
 * <p>Contract: delayed and periodic tasks run only inside {@link #advance}, on the caller's thread, in
 * due order (ties in scheduling order); while one runs, {@link #clock()} reads its due time. A task
 * scheduled with no delay is due now and runs at the next {@code advance}, even {@code advance(ZERO)}.
 * Immediate work ({@code execute}, {@code submit}) runs at once on one real background thread, because
 * code hands work to a scheduler precisely to get it off the caller's thread. {@code shutdown} (like
 * {@code shutdownNow}) drops every pending timer unrun and refuses new work with
 * {@link RejectedExecutionException}, as a shut-down executor does. Thread-safe: code under test
 * schedules and cancels from any thread.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final Instant origin;
    private final ExecutorService immediate = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "manual-scheduler-immediate");
        t.setDaemon(true);
        return t;
    });
    private final PriorityQueue<Timer<?>> queue = new PriorityQueue<>(
            Comparator.comparingLong((Timer<?> t) -> t.due).thenComparingLong(t -> t.order));
    private final List<Timer<?>> all = new ArrayList<>();
    private long nowNanos; // virtual nanoseconds since origin; guarded by this
    private long scheduledCount;
    private volatile boolean shutdown;

    public ManualScheduler() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    public ManualScheduler(Instant origin) {
        this.origin = origin;
    }

    /** A clock reading this scheduler's virtual time, for code that compares deadlines with "now". */
    public Clock clock() {
        return new Clock() {
            @Override public Instant instant() { return origin.plusNanos(nanos()); }
            @Override public ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(ZoneId zone) { return this; }
        };
    }

    /** Moves virtual time forward by {@code d}, running every timer that falls due on the way. */
    public void advance(Duration d) {
        long target;
        synchronized (this) {
            target = nowNanos + d.toNanos();
        }
        while (true) {
            Timer<?> next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    nowNanos = target;
                    return;
                }
                queue.poll();
                nowNanos = Math.max(nowNanos, next.due);
            }
            next.run(); // outside the lock: a task may schedule or cancel timers itself
        }
    }

    /** Every timer ever scheduled here, in scheduling order, whatever became of it. */
    public synchronized List<Timer<?>> timers() {
        return List.copyOf(all);
    }

    /** Timers still waiting to fall due, in due order. */
    public synchronized List<Timer<?>> pending() {
        List<Timer<?>> p = new ArrayList<>(queue);
        p.sort(queue.comparator());
        return p;
    }

    private synchronized long nanos() {
        return nowNanos;
    }

    // ---- ScheduledExecutorService -----------------------------------------------------------------

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return schedule(Executors.callable(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return arm(new Timer<>(callable, unit.toNanos(delay), 0, false));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) throw new IllegalArgumentException("period must be positive");
        return arm(new Timer<>(Executors.callable(command), unit.toNanos(initialDelay), unit.toNanos(period), true));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        if (delay <= 0) throw new IllegalArgumentException("delay must be positive");
        return arm(new Timer<>(Executors.callable(command), unit.toNanos(initialDelay), unit.toNanos(delay), false));
    }

    @Override
    public void execute(Runnable command) {
        if (shutdown) throw new RejectedExecutionException("scheduler is shut down");
        immediate.execute(command);
    }

    @Override
    public void shutdown() {
        shutdownNow();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> never = new ArrayList<>(immediate.shutdownNow());
        synchronized (this) {
            never.addAll(pending());
            queue.clear();
        }
        return never;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && immediate.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return immediate.awaitTermination(timeout, unit);
    }

    private synchronized <V> Timer<V> arm(Timer<V> t) {
        if (shutdown) throw new RejectedExecutionException("scheduler is shut down");
        t.order = scheduledCount++;
        t.due = nowNanos + Math.max(0, t.firstDelay);
        all.add(t);
        queue.add(t);
        return t;
    }

    /**
     * One scheduled task. Besides the {@link ScheduledFuture} contract it tells a test what was asked
     * ({@link #delay()}) and what happened ({@link #runs()}, {@link #isCancelled()}).
     */
    public final class Timer<V> implements RunnableScheduledFuture<V> {
        private final Callable<V> task;
        private final long firstDelay;
        private final long period; // 0: one-shot
        private final boolean fixedRate;
        private final CompletableFuture<V> outcome = new CompletableFuture<>();
        private long due; // guarded by the scheduler
        private long order;
        private int runs; // guarded by the scheduler

        private Timer(Callable<V> task, long firstDelayNanos, long periodNanos, boolean fixedRate) {
            this.task = task;
            this.firstDelay = firstDelayNanos;
            this.period = periodNanos;
            this.fixedRate = fixedRate;
        }

        /** The delay it was scheduled with. */
        public Duration delay() {
            return Duration.ofNanos(firstDelay);
        }

        /** How many times it has run. */
        public int runs() {
            synchronized (ManualScheduler.this) {
                return runs;
            }
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        /** Runs it now, as when it falls due (used by {@link ManualScheduler#advance}). */
        @Override
        public void run() {
            synchronized (ManualScheduler.this) {
                if (outcome.isDone()) return; // cancelled after it was taken off the queue
                runs++;
            }
            try {
                V v = task.call();
                if (period == 0) {
                    outcome.complete(v);
                    return;
                }
                synchronized (ManualScheduler.this) {
                    if (outcome.isDone() || shutdown) return;
                    due = fixedRate ? due + period : nowNanos + period;
                    queue.add(this);
                }
            } catch (Throwable e) {
                outcome.completeExceptionally(e); // like a real scheduler: a failing periodic task stops
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            synchronized (ManualScheduler.this) {
                if (!outcome.cancel(false)) return false;
                queue.remove(this);
                return true;
            }
        }

        @Override public boolean isCancelled() { return outcome.isCancelled(); }
        @Override public boolean isDone() { return outcome.isDone(); }

        @Override
        public V get() throws InterruptedException, ExecutionException {
            return outcome.get();
        }

        @Override
        public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            return outcome.get(timeout, unit);
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(due - nowNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public String toString() {
            return "Timer[delay=" + delay() + ", runs=" + runs() + (isCancelled() ? ", cancelled" : isDone() ? ", done" : "") + "]";
        }
    }
}
