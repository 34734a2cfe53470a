package io.runcast.client;

import io.runcast.event.EventDraft;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Hands one store to several server lifetimes: a server closes its store on shutdown, this wrapper
 * ignores that, so a memory store's history survives a stop and restart like a durable one would.
 */
final class KeepOpenStore implements EventStore {
    private final EventStore delegate;

    KeepOpenStore(EventStore delegate) {
        this.delegate = delegate;
    }

    @Override public void listener(CommitListener listener) { delegate.listener(listener); }
    @Override public CompletionStage<List<Appended>> append(String run, List<EventDraft> drafts) { return delegate.append(run, drafts); }
    @Override public History read(String run, long after, int limit) { return delegate.read(run, after, limit); }
    @Override public Optional<RunInfo> info(String run) { return delegate.info(run); }
    @Override public List<RunInfo> list(int limit, boolean openOnly) { return delegate.list(limit, openOnly); }
    @Override public String kind() { return delegate.kind(); }
    @Override public void close() { }
}
