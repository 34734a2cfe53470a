package io.runcast.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.event.Event;
import io.runcast.event.RunStatus;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.Appended;
import io.runcast.store.EventStore;
import io.runcast.store.EventStoreContract;
import io.runcast.store.Retention;
import io.runcast.store.RunInfo;
import io.runcast.store.TestClock;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteEventStoreTest extends EventStoreContract {
    @TempDir
    Path tmp;
    private final AtomicInteger dirs = new AtomicInteger();

    @Override
    protected EventStore create(Retention retention, TestClock clock) {
        return SqliteEventStore.open(tmp.resolve("data" + dirs.incrementAndGet()), retention, SyncPolicy.FULL, clock);
    }

    @Override
    protected void sweep(EventStore store) {
        ((SqliteEventStore) store).sweep().join();
    }

    private SqliteEventStore openAt(Path dir) {
        return SqliteEventStore.open(dir, Retention.DEFAULT, SyncPolicy.FULL, clock);
    }

    @Test
    void restart_bringsBackRunsSeqsEpochsStatusEventsAndKeys() {
        Path dir = tmp.resolve("restart");
        List<Event> before;
        RunInfo doneBefore;
        RunInfo openBefore;
        try (SqliteEventStore store = openAt(dir)) {
            append(store, "done", draft("run.started", "{}"), step(1).withKey("k1"), draft("run.completed", "{}"));
            append(store, "open", draft("run.started", "{}"), draft("run.paused", "{}"));
            appendSteps(store, "open", 5);
            before = all(store, "done");
            doneBefore = store.info("done").orElseThrow();
            openBefore = store.info("open").orElseThrow();
        }
        try (SqliteEventStore store = openAt(dir)) {
            assertThat(all(store, "done")).isEqualTo(before);
            assertThat(store.info("done")).contains(doneBefore);
            assertThat(store.info("open")).contains(openBefore);
            assertThat(store.info("open").orElseThrow().status()).isEqualTo(RunStatus.PAUSED);
            assertThat(store.list(10, true)).extracting(RunInfo::run).containsExactly("open");
            // seqs continue, the closed run stays closed, keys are still remembered
            assertThat(append(store, "open", step(9)).get(0).event().seq()).isEqualTo(8);
            assertThat(failureOf(store, "done", step(2))).isEqualTo(ErrorCode.RUN_CLOSED);
            Appended retry = append(store, "done", step(1).withKey("k1")).get(0);
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.event()).isEqualTo(before.get(1));
        }
    }

    @Test
    void removedDataFile_givesRunsNewEpochs() throws Exception {
        Path dir = tmp.resolve("removed");
        String epoch;
        try (SqliteEventStore store = openAt(dir)) {
            appendSteps(store, "r", 3);
            epoch = store.info("r").orElseThrow().epoch();
        }
        try (SqliteEventStore store = openAt(dir)) {
            assertThat(store.info("r").orElseThrow().epoch()).isEqualTo(epoch); // a restart alone keeps it
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) if (p.getFileName().toString().startsWith("runcast.db")) Files.delete(p);
        }
        try (SqliteEventStore store = openAt(dir)) {
            assertThat(store.info("r")).isEmpty();
            assertThat(appendSteps(store, "r", 1)).isEqualTo(1);
            assertThat(store.info("r").orElseThrow().epoch()).isNotEqualTo(epoch);
        }
    }

    @Test
    void garbageDataFile_failsAtOpenWithClearError() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        Files.writeString(dir.resolve("runcast.db"), "this is not a database, it is a shopping list\n".repeat(200));
        assertThatThrownBy(() -> openAt(dir))
                .isInstanceOf(RuncastException.class)
                .satisfies(e -> assertThat(((RuncastException) e).code()).isEqualTo(ErrorCode.UNAVAILABLE))
                .satisfies(e -> System.out.println("garbage file: " + e.getMessage()))
                .hasMessageContaining("data file " + dir.toAbsolutePath().resolve("runcast.db"))
                .hasMessageContaining("is not a Runcast database or is corrupt");
        assertThat(Files.size(dir.resolve("runcast.db"))).isEqualTo(9200); // left as it was, for the operator
    }

    @Test
    void damagedPages_failAtOpenWithClearError() throws Exception {
        Path dir = tmp.resolve("damaged");
        try (SqliteEventStore store = openAt(dir)) {
            for (int i = 0; i < 20; i++) appendSteps(store, "r" + i, 50);
        }
        Path file = dir.resolve("runcast.db");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] junk = new byte[raf.length() > 40_000 ? 20_000 : 2_000];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            raf.seek(8192); // past the header page: the file still looks like SQLite, its b-trees do not
            raf.write(junk);
        }
        assertThatThrownBy(() -> openAt(dir))
                .isInstanceOf(RuncastException.class)
                .satisfies(e -> System.out.println("damaged file: " + e.getMessage()))
                .hasMessageContaining("is not a Runcast database or is corrupt");
    }

    @Test
    void otherApplicationsSqliteFile_isRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("foreign"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("runcast.db"));
             Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)");
        }
        assertThatThrownBy(() -> openAt(dir)).isInstanceOf(RuncastException.class)
                .hasMessageContaining("is not a Runcast database");
    }

    @Test
    void secondStoreOnSameDirectory_isRefused() {
        Path dir = tmp.resolve("shared");
        try (SqliteEventStore store = openAt(dir)) {
            assertThatThrownBy(() -> openAt(dir)).isInstanceOf(RuncastException.class).hasMessageContaining("in use");
            appendSteps(store, "r", 1);
        }
        try (SqliteEventStore again = openAt(dir)) {
            assertThat(again.info("r")).isPresent();
        }
    }

    @Test
    void groupCommit_appendsWaitingTogetherShareOneTransaction() throws Exception {
        SqliteEventStore store = (SqliteEventStore) open();
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.listener((run, events) -> {
            if (!run.equals("first")) return;
            writerHeld.countDown();
            try {
                release.await(); // holds the writer (the listener runs on it) while producers queue up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<List<Appended>> first = store.append("first", List.of(step(0))).toCompletableFuture();
        writerHeld.await();
        List<CompletableFuture<List<Appended>>> waiting = new ArrayList<>();
        for (int p = 0; p < 64; p++) waiting.add(store.append("run" + (p % 8), List.of(step(p))).toCompletableFuture());
        release.countDown();
        first.join();
        waiting.forEach(CompletableFuture::join);
        SqliteEventStore.Stats stats = store.stats();
        assertThat(stats.appends()).isEqualTo(65);
        assertThat(stats.commits()).isEqualTo(2); // the first append, then all 64 waiting ones at once
        for (int r = 0; r < 8; r++) assertThat(seqs(all(store, "run" + r))).isEqualTo(range(1, 8));
    }

    @Test
    void groupCommit_underConcurrentProducers_reportsBatching() throws Exception {
        SqliteEventStore store = (SqliteEventStore) open();
        int producers = 64;
        int appendsEach = 20;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            String run = "run" + (p % 8);
            threads.add(new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < appendsEach; i++) append(store, run, step(i));
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (Thread t : threads) t.join();
        SqliteEventStore.Stats stats = store.stats();
        System.out.printf("group commit: %d appends from %d producers in %d transactions (%.1f per commit)%n",
                stats.appends(), producers, stats.commits(), (double) stats.appends() / stats.commits());
        assertThat(stats.appends()).isEqualTo((long) producers * appendsEach);
        for (int r = 0; r < 8; r++) assertThat(seqs(all(store, "run" + r))).isEqualTo(range(1, producers / 8 * appendsEach));
    }

    @Test
    void retentionTrimsInChunks_appendsAreServedWhileALargeTrimIsUnderWay() {
        Path dir = tmp.resolve("chunks");
        try (SqliteEventStore store = openAt(dir)) {
            List<io.runcast.event.EventDraft> batch = new ArrayList<>();
            for (int i = 0; i < 1000; i++) batch.add(step(i));
            for (int i = 0; i < 100; i++) store.append("big", batch).toCompletableFuture().join();
        }
        Retention keep10 = new Retention(10, java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ofMinutes(10));
        try (SqliteEventStore store = SqliteEventStore.open(dir, keep10, SyncPolicy.FULL, clock)) {
            java.util.concurrent.atomic.AtomicLong trimmedTo = new java.util.concurrent.atomic.AtomicLong();
            // the listener runs on the writer thread, which also does the trimming: nothing moves while it looks
            store.listener((run, events) -> trimmedTo.set(store.info("big").orElseThrow().first()));
            CompletableFuture<Void> sweep = store.sweep(); // 100,000 rows to delete, 1,000 per step
            long seq = append(store, "other", step(1)).get(0).event().seq();
            long firstWhenAcked = trimmedTo.get();
            System.out.printf("append acknowledged while the trim had reached seq %d of 99,991%n", firstWhenAcked);
            assertThat(seq).isEqualTo(1);
            assertThat(firstWhenAcked).isLessThan(50_000); // the append did not wait for the whole trim
            sweep.join();
            assertThat(store.info("big").orElseThrow().first()).isEqualTo(99_991);
            assertThat(store.read("big", 0, 100).events()).hasSize(10);
        }
    }

    @Test
    void defaultRetention_keepsAllOfALongRunningRun_aLateReaderSeesSeqOne() {
        Path dir = tmp.resolve("whole");
        List<io.runcast.event.EventDraft> batch = new ArrayList<>();
        for (int i = 0; i < 1000; i++) batch.add(draft("token.delta", "{\"t\":\"a\"}"));
        try (SqliteEventStore store = openAt(dir)) {
            for (int i = 0; i < 10; i++) store.append("long", batch).toCompletableFuture().join();
            clock.advance(java.time.Duration.ofHours(25)); // older than any former default age limit
            appendSteps(store, "long", 500);
            store.sweep().join();
            assertThat(seqs(store.read("long", 0, 3).events())).containsExactly(1L, 2L, 3L);
            assertThat(store.info("long").orElseThrow().first()).isEqualTo(1);
            assertThat(store.info("long").orElseThrow().retained()).isEqualTo(10_500);
        }
        try (SqliteEventStore store = openAt(dir)) { // nor does a restart trim it
            store.sweep().join();
            assertThat(store.read("long", 0, 1).events().get(0).seq()).isEqualTo(1);
        }
    }

    @Test
    void defaultRetention_keepsAClosedRunWholeUntilItsTtl() {
        try (SqliteEventStore store = openAt(tmp.resolve("closed"))) {
            append(store, "done", draft("run.started", "{}"), step(1), draft("run.completed", "{}"));
            clock.advance(Retention.DEFAULT_CLOSED_TTL.minusHours(1));
            store.sweep().join();
            assertThat(seqs(all(store, "done"))).containsExactly(1L, 2L, 3L);
            clock.advance(java.time.Duration.ofHours(2));
            store.sweep().join();
            assertThat(store.info("done")).isEmpty();
        }
    }

    @Test
    void close_flushesAppendsAlreadyAccepted() {
        Path dir = tmp.resolve("flush");
        List<CompletableFuture<List<Appended>>> futures = new ArrayList<>();
        try (SqliteEventStore store = openAt(dir)) {
            for (int i = 0; i < 500; i++) futures.add(store.append("r", List.of(step(i))).toCompletableFuture());
        }
        futures.forEach(CompletableFuture::join);
        try (SqliteEventStore store = openAt(dir)) {
            assertThat(store.info("r").orElseThrow().head()).isEqualTo(500);
        }
    }
}
