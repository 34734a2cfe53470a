package io.runcast.testing;

import io.runcast.event.EventDraft;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A real store whose acknowledgements can be held back: while {@link #hold()} is in effect, appends are
 * stored and notified as usual but their stages complete only when the hold is released — a slow disk,
 * on cue, without sleeping. Refusals are not held. Everything else passes straight through.
 */
public final class HeldAcks implements EventStore {
    private final EventStore store;
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public HeldAcks(EventStore store) {
        this.store = store;
    }

    /** Holds the acknowledgements of appends made from now until the returned hold is closed. */
    public Hold hold() {
        CompletableFuture<Void> g = new CompletableFuture<>();
        gate = g;
        return () -> {
            gate = CompletableFuture.completedFuture(null);
            g.complete(null);
        };
    }

    /** A hold on acknowledgements; closing it lets them all through. */
    public interface Hold extends AutoCloseable {
        @Override
        void close();
    }

    @Override
    public CompletionStage<List<Appended>> append(String run, List<EventDraft> drafts) {
        CompletableFuture<Void> g = gate;
        return store.append(run, drafts).thenCompose(appended -> g.thenApply(x -> appended));
    }

    @Override public void listener(CommitListener listener) { store.listener(listener); }
    @Override public History read(String run, long after, int limit) { return store.read(run, after, limit); }
    @Override public Optional<RunInfo> info(String run) { return store.info(run); }
    @Override public List<RunInfo> list(int limit, boolean openOnly) { return store.list(limit, openOnly); }
    @Override public String kind() { return store.kind(); }
    @Override public void close() { store.close(); }
}
