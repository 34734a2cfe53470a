package io.runcast.bench;

import io.runcast.event.TypeFilter;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.protocol.RuncastException;
import io.runcast.store.EventStore;
import io.runcast.store.Retention;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Resume of {@value #MISSED} missed events through the hub: a client that was away subscribes with
 * {@code since} and gets everything it missed from the store, encoded once into wire frames, in
 * order, to a sink that counts them. Score = time until the last missed event reached the sink.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class ResumeBenchmark {
    static final int MISSED = 10_000;

    @Param({"sqlite-normal", "memory"})
    public String store;

    EventStore events;
    Hub hub;
    ExecutorService replay;
    ScheduledExecutorService timers;
    Path dir;
    long since;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchStores.scratch();
        events = BenchStores.open(store, dir, new Retention(20_000, Retention.DEFAULT_MAX_AGE,
                Retention.DEFAULT_CLOSED_TTL, Retention.DEFAULT_IDEMPOTENCY_WINDOW));
        replay = Executors.newFixedThreadPool(2);
        timers = Executors.newSingleThreadScheduledExecutor();
        hub = new Hub(events, replay, timers, HubConfig.DEFAULT);
        events.listener(hub);
        BenchStores.fill(events, "resume", MISSED + 500);
        since = 500; // the client saw the first 500 events, then was away for 10,000
    }

    @TearDown(Level.Trial)
    public void close() {
        replay.shutdownNow();
        timers.shutdownNow();
        events.close();
        BenchStores.delete(dir);
    }

    /** Counts events and bytes; opens the latch at the last one. */
    static final class CountingSink implements Sink {
        final CountDownLatch done = new CountDownLatch(1);
        int events;
        long bytes;
        volatile boolean recovered;

        @Override public void subscribed(Subscription s, Subscribed info) { recovered = info.recovered(); }
        @Override public void event(Subscription s, EncodedEvent e) {
            bytes += e.frame().length;
            if (++events == MISSED) done.countDown();
        }
        @Override public void end(Subscription s, long seq) {}
        @Override public void failed(Subscription s, RuncastException e) { throw e; }
        @Override public boolean ready(Runnable onReady) { return true; }
        @Override public void tooSlow(String why) { throw new IllegalStateException(why); }
    }

    @Benchmark
    public long resume10k() throws InterruptedException {
        CountingSink sink = new CountingSink();
        Subscription sub = hub.subscribe("resume", since, null, TypeFilter.ALL, sink, null);
        if (!sink.done.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("resume stalled at " + sink.events);
        sub.cancel();
        if (!sink.recovered) throw new IllegalStateException("not recovered");
        return sink.bytes;
    }
}
