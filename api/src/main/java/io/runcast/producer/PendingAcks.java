package io.runcast.producer;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The appends a handle has handed over and not yet seen answered, so that {@link RunHandle#flush()}
 * waits for all of them — not just the last one, which may be answered first (it was refused
 * locally, or another thread's append overtook it). Thread-safe.
 */
public final class PendingAcks {
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();

    /** Tracks the stage until it completes, either way; returns it unchanged. */
    public <T> CompletionStage<T> track(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        pending.add(f);
        f.whenComplete((v, e) -> pending.remove(f)); // runs at once if already complete
        return stage;
    }

    /** Completes (normally) once every stage tracked before this call has completed, successfully or not. */
    public CompletionStage<Void> flush() {
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }
}
