package io.runcast.bench;

import io.runcast.event.EventDraft;
import io.runcast.store.Appended;
import io.runcast.store.EventStore;
import io.runcast.store.Retention;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.Threads;

/**
 * Durable append throughput: each producer thread appends one event at a time to its own run and
 * waits for the acknowledgement (so the store's durability is inside every operation). Score =
 * acknowledged events per second across all producers. Default retention runs meanwhile.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
public class AppendBenchmark {
    @Param({"sqlite-full", "sqlite-normal", "sqlite-off", "memory"})
    public String store;

    EventStore events;
    Path dir;
    final AtomicInteger producers = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        dir = BenchStores.scratch();
        events = BenchStores.open(store, dir, Retention.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void close() {
        events.close();
        BenchStores.delete(dir);
    }

    @State(Scope.Thread)
    public static class Producer {
        String run;
        int n;

        @Setup(Level.Trial)
        public void name(AppendBenchmark b) {
            run = "bench-run-" + b.producers.incrementAndGet();
        }
    }

    private List<Appended> appendOne(Producer p) {
        EventDraft d = BenchStores.draft(p.n++);
        return events.append(p.run, List.of(d)).toCompletableFuture().join();
    }

    @Benchmark
    @Threads(1)
    public List<Appended> producers01(Producer p) {
        return appendOne(p);
    }

    @Benchmark
    @Threads(8)
    public List<Appended> producers08(Producer p) {
        return appendOne(p);
    }

    @Benchmark
    @Threads(64)
    public List<Appended> producers64(Producer p) {
        return appendOne(p);
    }
}
