package io.runcast.bench;

import io.runcast.event.EventDraft;
import io.runcast.store.EventStore;
import io.runcast.store.Retention;
import io.runcast.store.memory.MemoryEventStore;
import io.runcast.store.sqlite.SqliteEventStore;
import io.runcast.store.sqlite.SyncPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Opens the stores the benchmarks compare, each in a fresh directory on the real disk. */
final class BenchStores {
    private BenchStores() {}

    /** A typical agent event: a progress update of about 150 bytes of JSON. */
    static final String DATA = "{\"progress\":42,\"message\":\"Calling the search tool with the user's query\","
            + "\"substep\":\"search\",\"tokens\":{\"in\":1234,\"out\":56}}";

    static EventDraft draft(int n) {
        return new EventDraft("step.progress", "step-" + (n % 7), "researcher", DATA, null);
    }

    /** "memory", "sqlite-full", "sqlite-normal" or "sqlite-off". */
    static EventStore open(String kind, Path dir, Retention retention) {
        if (kind.equals("memory")) return new MemoryEventStore(retention);
        SyncPolicy sync = SyncPolicy.parse(kind.substring("sqlite-".length()));
        return SqliteEventStore.open(dir, retention, sync);
    }

    /** A scratch directory under bench/target (not /tmp, which may be a RAM disk elsewhere, hiding fsync costs). */
    static Path scratch() {
        try {
            Path base = Files.createDirectories(Path.of(System.getProperty("runcast.bench.dir", "target/bench-data")));
            return Files.createTempDirectory(base.toAbsolutePath(), "store-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // scratch data; leaving it behind is harmless
        }
    }

    /** Appends {@code count} events to a run in batches of 500. */
    static void fill(EventStore store, String run, int count) {
        for (int done = 0; done < count; ) {
            List<EventDraft> batch = new ArrayList<>();
            for (int i = 0; i < 500 && done < count; i++, done++) batch.add(draft(done));
            store.append(run, batch).toCompletableFuture().join();
        }
    }
}
