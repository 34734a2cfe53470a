package io.runcast.bench;

import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.Retention;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * History read throughput: pages of {@value #PAGE} events from random positions of a 10,000-event
 * run, as the HTTP history endpoint and the hub's replay read them. Score = events read per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class ReadBenchmark {
    static final int PAGE = 500;
    static final int EVENTS = 10_000;

    @Param({"sqlite-normal", "memory"})
    public String store;

    EventStore events;
    Path dir;

    @Setup(Level.Trial)
    public void open() {
        dir = BenchStores.scratch();
        events = BenchStores.open(store, dir, Retention.DEFAULT);
        BenchStores.fill(events, "history", EVENTS);
    }

    @TearDown(Level.Trial)
    public void close() {
        events.close();
        BenchStores.delete(dir);
    }

    private History page() {
        long after = ThreadLocalRandom.current().nextInt(EVENTS - PAGE);
        History h = events.read("history", after, PAGE);
        if (h.events().size() != PAGE) throw new IllegalStateException("short page: " + h.events().size());
        return h;
    }

    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(PAGE)
    public History readers1() {
        return page();
    }

    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(PAGE)
    public History readers4() {
        return page();
    }
}
