package io.runcast.hub;

import io.runcast.event.TypeFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * One sink's interest in one run. It starts by catching up (history is replayed while live events
 * are parked in {@code pending}), then goes live; a hole in the live notifications sends it back to
 * catching up until the store has filled it. {@code lastSeq} is the highest seq this subscription has
 * passed, delivered or filtered out, which is what makes every hand-over gapless and duplicate-free.
 *
 * <p>State changes and {@code pending} are guarded by the owning topic's monitor. {@code lastSeq}
 * belongs to the {@link CatchUp} while catching up and to the topic's monitor while live; the
 * hand-overs between the two happen under that monitor.
 */
public final class Subscription {
    enum State { CATCHING_UP, LIVE, DONE }

    private final Hub hub;
    private final String run;
    private final TypeFilter filter;
    private final Sink sink;
    private final Object tag;
    final CatchUp catchUp;
    final List<EncodedEvent> pending = new ArrayList<>();
    long pendingBytes;
    volatile State state = State.CATCHING_UP;
    long lastSeq;

    Subscription(Hub hub, String run, TypeFilter filter, Sink sink, Object tag) {
        this.hub = hub;
        this.run = run;
        this.filter = filter;
        this.sink = sink;
        this.tag = tag;
        this.catchUp = new CatchUp(hub, this);
    }

    public String run() {
        return run;
    }

    public TypeFilter filter() {
        return filter;
    }

    /** Whatever the transport attached at subscribe time (e.g. the request id to answer). */
    public Object tag() {
        return tag;
    }

    public boolean isDone() {
        return state == State.DONE;
    }

    /** Stops delivery; safe to call more than once and from any thread. */
    public void cancel() {
        hub.remove(this);
    }

    Sink sink() {
        return sink;
    }

    /**
     * Passes one event on if it is the next in order. Returns true when it was the terminal event.
     * Called with the topic's monitor held (live) or by the catch-up.
     */
    boolean pass(EncodedEvent e) {
        if (e.seq() <= lastSeq) return false;
        lastSeq = e.seq();
        if (filter.accepts(e.event().type())) sink.event(this, e);
        if (e.event().isTerminal()) {
            sink.end(this, e.seq());
            return true;
        }
        return false;
    }
}
