package io.runcast.hub;

import io.runcast.event.EventDraft;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import io.runcast.store.memory.MemoryEventStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A memory store whose commit notifications can be held back — what a store that notifies apart
 * from writing (Redis pub/sub) does to the hub — and which records the threads that read it.
 */
final class HeldBackStore implements EventStore {
    private final MemoryEventStore inner = new MemoryEventStore();
    private volatile CommitListener listener = CommitListener.NONE;
    final List<Thread> readers = new CopyOnWriteArrayList<>();
    volatile boolean holdBack;

    HeldBackStore() {
        inner.listener((run, events) -> {
            if (!holdBack) listener.committed(run, events);
        });
    }

    @Override public void listener(CommitListener l) { listener = l; }
    @Override public CompletionStage<List<Appended>> append(String run, List<EventDraft> drafts) { return inner.append(run, drafts); }
    @Override public History read(String run, long after, int limit) {
        readers.add(Thread.currentThread());
        return inner.read(run, after, limit);
    }
    @Override public Optional<RunInfo> info(String run) { return inner.info(run); }
    @Override public List<RunInfo> list(int limit, boolean openOnly) { return inner.list(limit, openOnly); }
    @Override public String kind() { return "held-back memory"; }
    @Override public void close() { inner.close(); }
}
