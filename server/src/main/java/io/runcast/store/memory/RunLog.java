package io.runcast.store.memory;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.Drafts;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import io.runcast.store.Sequencer;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run in the memory store: its sequencer state, retained events and remembered keys, and what
 * they cost by {@link Footprint}. Every method runs under the log's monitor; {@link #eventBytes()} may
 * be read without it (it is only a hint for choosing what to trim). Once {@link #drop() dropped} a
 * log is dead: appends that find it so start a new one.
 */
final class RunLog {
    /** What a remembered key keeps, so a retry is answered even after its event was trimmed. */
    private record Key(long seq, String id, String type, Instant time) {}

    final String run;
    final String epoch = Drafts.newEpoch();
    private final EventRing events;
    /** Insertion order is time order (a re-used key is re-inserted), so forgetting stops early. */
    private final LinkedHashMap<String, Key> keys = new LinkedHashMap<>();
    private final AtomicLong storeBytes;
    private Sequencer.State state = Sequencer.State.NEW;
    private Instant createdAt;
    private long bytes;
    private volatile long eventBytes;
    private boolean removed;

    /** Creates the log and charges its fixed cost to the store's total. */
    RunLog(String run, int capacity, AtomicLong storeBytes) {
        this.run = run;
        this.events = new EventRing(capacity);
        this.storeBytes = storeBytes;
        charge(Footprint.ofRun(run));
    }

    /** Sequences and stores one append, tells the listener, and returns the answers. */
    List<Appended> append(List<EventDraft> drafts, Sequencer sequencer, Instant now, CommitListener listener) {
        Sequencer.Sequenced s = sequencer.sequence(run, state, drafts, now, this::remembered);
        if (s.fresh().isEmpty()) return s.answers();
        for (Event e : s.fresh()) {
            chargeEvent(Footprint.of(e));
            Event pushedOut = events.add(e);
            if (pushedOut != null) chargeEvent(-Footprint.of(pushedOut));
        }
        for (Map.Entry<String, Event> k : s.keys().entrySet()) {
            Event e = k.getValue();
            Key old = keys.remove(k.getKey()); // a key past its window being used again
            if (old != null) charge(-Footprint.ofKey(k.getKey(), old.id(), old.type()));
            keys.put(k.getKey(), new Key(e.seq(), e.id(), e.type(), e.time()));
            charge(Footprint.ofKey(k.getKey(), e.id(), e.type()));
        }
        if (createdAt == null) createdAt = s.state().time();
        state = s.state();
        listener.committed(run, s.fresh());
        return s.answers();
    }

    /** A remembered key's event; without its body when the event itself was trimmed since. */
    private Event remembered(String key) {
        Key k = keys.get(key);
        if (k == null) return null;
        Event retained = events.get(k.seq());
        return retained != null ? retained : new Event(run, k.seq(), k.id(), k.type(), k.time(), null, null, "{}");
    }

    /** True while no event was ever stored: readers treat the run as unknown. */
    boolean isEmpty() {
        return state.head() == 0;
    }

    boolean closed() {
        return state.status().isClosed();
    }

    boolean removed() {
        return removed;
    }

    /** Bytes held by retained events: what trimming this run can free. */
    long eventBytes() {
        return eventBytes;
    }

    History read(long after, int limit) {
        if (isEmpty()) return History.UNKNOWN;
        return new History(epoch, first(), state.head(), events.after(after, limit));
    }

    RunInfo info() {
        return new RunInfo(run, epoch, state.status(), state.head(), first(), createdAt, state.time());
    }

    private long first() {
        return events.isEmpty() ? state.head() + 1 : events.first().seq();
    }

    boolean expired(Instant now, Duration closedRunTtl) {
        return closed() && !closedRunTtl.isZero() && state.time().plus(closedRunTtl).isBefore(now);
    }

    /** Removes the oldest events until at least {@code want} bytes are freed or none is left. */
    void trimOldest(long want) {
        long freed = 0;
        while (freed < want && !events.isEmpty()) {
            long size = Footprint.of(events.removeFirst());
            chargeEvent(-size);
            freed += size;
        }
    }

    void trimByAge(Instant now, Duration maxAge) {
        if (maxAge.isZero()) return;
        Instant cutoff = now.minus(maxAge);
        while (!events.isEmpty() && events.first().time().isBefore(cutoff)) chargeEvent(-Footprint.of(events.removeFirst()));
    }

    void forgetKeys(Instant now, Duration window) {
        Instant cutoff = now.minus(window);
        Iterator<Map.Entry<String, Key>> it = keys.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Key> k = it.next();
            if (!k.getValue().time().isBefore(cutoff)) break;
            it.remove();
            charge(-Footprint.ofKey(k.getKey(), k.getValue().id(), k.getValue().type()));
        }
    }

    /** Marks the log dead and takes everything it held off the store's total. */
    void drop() {
        if (removed) return;
        removed = true;
        charge(-bytes);
    }

    private void chargeEvent(long delta) {
        eventBytes += delta;
        charge(delta);
    }

    private void charge(long delta) {
        bytes += delta;
        storeBytes.addAndGet(delta);
    }
}
