package io.runcast.hub;

import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Records what the hub delivers, in order. */
final class RecordingSink implements Sink {
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    final List<String> types = new CopyOnWriteArrayList<>();
    final List<byte[]> frames = new CopyOnWriteArrayList<>();
    final AtomicReference<Subscribed> subscribed = new AtomicReference<>();
    final CountDownLatch ended = new CountDownLatch(1);
    final AtomicReference<RuncastException> failure = new AtomicReference<>();
    volatile boolean writable = true;
    /** The hub's callback while it waits for this sink to be ready again. */
    volatile Runnable wake;
    /** After this many events the sink stops being ready, as a connection whose buffer filled up. */
    volatile int readyFor = Integer.MAX_VALUE;
    volatile String slow;

    @Override public void subscribed(Subscription s, Subscribed info) {
        if (!seqs.isEmpty()) throw new AssertionError("subscribed after events");
        subscribed.set(info);
    }
    @Override public void event(Subscription s, EncodedEvent e) {
        if (subscribed.get() == null) throw new AssertionError("event before subscribed");
        seqs.add(e.seq());
        types.add(e.event().type());
        frames.add(e.frame());
        if (seqs.size() >= readyFor) writable = false;
    }
    @Override public void end(Subscription s, long seq) { ended.countDown(); }
    @Override public void failed(Subscription s, RuncastException e) { failure.set(e); }
    @Override public boolean ready(Runnable onReady) {
        if (writable) return true;
        wake = onReady;
        return false;
    }
    /** Becomes ready and calls the hub back, as a connection that drained would. */
    void drained() {
        writable = true;
        Runnable w = wake;
        wake = null;
        w.run();
    }
    @Override public void tooSlow(String why) { slow = why; }
}
