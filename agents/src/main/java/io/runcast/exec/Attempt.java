package io.runcast.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;

/**
 * One attempt of one step. Its outcome is {@link #result}, which either the agent's thread completes
 * or {@link #abort} completes first (timeout, cancel, run failed) — so the executor never waits for an
 * agent thread that ignores interruption; that thread is merely abandoned, and its later calls into
 * the context throw {@link CancellationException}.
 */
final class Attempt {
    final Step step;
    final int number;
    final long stepStartNanos;
    final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    volatile Future<?> task;
    volatile ScheduledFuture<?> timer;
    private volatile boolean dead;

    Attempt(Step step, int number, long stepStartNanos) {
        this.step = step;
        this.number = number;
        this.stepStartNanos = stepStartNanos;
    }

    boolean dead() {
        return dead;
    }

    /** Ends the attempt now, whatever the agent is doing; interrupts it and closes its registered resources. */
    void abort(Throwable why) {
        if (!result.completeExceptionally(why)) return;
        dead = true;
        ScheduledFuture<?> t = timer;
        if (t != null) t.cancel(false);
        Future<?> f = task;
        if (f != null) f.cancel(true);
        for (AutoCloseable r : resources) close(r);
    }

    void checkAlive() {
        if (dead) throw new CancellationException("step " + step.id() + " attempt " + number + " is over");
    }

    void onCancel(AutoCloseable r) {
        resources.add(r);
        if (dead) close(r);
    }

    private static void close(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception ignored) {
            // Closing is how we unblock the agent; an error while closing changes nothing.
        }
    }
}
