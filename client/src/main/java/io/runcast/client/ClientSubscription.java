package io.runcast.client;

import java.util.List;

/**
 * One run followed by a {@link RuncastClient}. Its position ({@link #lastSeq()}, {@link #epoch()})
 * is where the next reconnect resumes, so nothing is missed or repeated across drops.
 */
public final class ClientSubscription {
    private final RuncastClient client;
    private final String run;
    private final List<String> types;
    final RunListener listener;
    private volatile long lastSeq;
    private volatile String epoch;
    private volatile boolean done;
    /** Set by the (re)subscribe's reply; frames for the run before it belong to an older subscription. */
    private boolean ready;

    ClientSubscription(RuncastClient client, String run, SubscribeOptions options, RunListener listener) {
        this.client = client;
        this.run = run;
        this.types = options.types();
        this.lastSeq = options.since();
        this.epoch = options.epoch();
        this.listener = listener;
    }

    public String run() {
        return run;
    }

    public List<String> types() {
        return types;
    }

    /** The last seq delivered to the listener (or the {@code since} asked for, before any). */
    public long lastSeq() {
        return lastSeq;
    }

    public String epoch() {
        return epoch;
    }

    /** True after the run's end, an unsubscribe, or a refusal. */
    public boolean done() {
        return done;
    }

    /** Stops following the run; no callback follows. */
    public void unsubscribe() {
        client.unsubscribe(this);
    }

    synchronized void resubscribing() {
        ready = false;
    }

    /** Applies a subscribe reply; returns true when the server could not resume from our position. */
    synchronized boolean subscribed(SubscribeReply reply) {
        long had = lastSeq;
        boolean lost = !reply.recovered() && had > 0;
        boolean epochChanged = epoch != null && reply.epoch() != null && !epoch.equals(reply.epoch());
        // The server replays from the start when the epoch changed or it is behind us: forget our position.
        if (lost && (epochChanged || had > reply.head())) lastSeq = 0;
        if (reply.epoch() != null) epoch = reply.epoch();
        ready = true;
        if (!done) {
            listener.onSubscribed(reply);
            if (lost) listener.onReset(reply, had);
        }
        return lost;
    }

    /** Delivers an event unless it is stale or a repeat. Synchronized so that one run's callbacks never overlap. */
    synchronized void deliver(io.runcast.event.Event e) {
        if (done || !ready || e.seq() <= lastSeq) return;
        lastSeq = e.seq();
        listener.onEvent(e);
    }

    synchronized boolean end(long seq) {
        if (done || !ready) return false;
        done = true;
        listener.onEnd(run, seq);
        return true;
    }

    synchronized void fail(io.runcast.protocol.RuncastException error) {
        if (done) return;
        done = true;
        listener.onError(error);
    }

    synchronized void markDone() {
        done = true;
    }
}
