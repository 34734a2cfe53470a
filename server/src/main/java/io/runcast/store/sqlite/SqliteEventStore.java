package io.runcast.store.sqlite;

import io.runcast.event.EventDraft;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.Retention;
import io.runcast.store.RunInfo;
import io.runcast.store.Sequencer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Run history in one SQLite file ({@value DataFile#FILE_NAME}) under a data directory, surviving
 * restarts: every run, seq, epoch, status, event and idempotency key is back after a crash or a
 * restart.
 *
 * <p>Appends are group-committed by a single writer thread (see {@link Writer}): producers are told
 * "accepted" only after their batch's transaction committed under the {@link SyncPolicy}, and the
 * {@link CommitListener} is told (on the writer thread, in seq order per run) after the commit, so
 * every notified event is already readable. Futures complete on a separate acknowledgement thread,
 * so work chained onto them cannot hold up the writer. Reads use their own connections and never
 * wait for the writer.
 *
 * <p>Each run's epoch is created with the run and stored in its row, so it survives restarts; a new
 * data file (the old one removed) gives every run a new epoch, and resuming clients are told their
 * history is gone. Retention runs in small chunks on the writer thread between batches.
 */
public final class SqliteEventStore implements EventStore {
    /** Pending appends beyond which producers are refused with LIMIT_EXCEEDED instead of queueing. */
    static final int MAX_QUEUED = 100_000;
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    static final int READ_CONNECTIONS = 8; // Netty event loops and the hub's replay workers read at once

    /** Counters for metrics and tests: transactions committed, appends and events they carried. */
    public record Stats(long commits, long appends, long events) {}

    private final DataFile file;
    private final Connection writeConnection;
    private final Reader reader;
    private final Writer writer;
    private final Thread writerThread;
    private final Connection checkpointConnection;
    private final Checkpointer checkpointer;
    private final Thread checkpointThread;
    private final ExecutorService acks;
    private final LinkedBlockingQueue<Writer.Job> queue = new LinkedBlockingQueue<>();
    private final SyncPolicy sync;
    /** Appends hold the read lock from the closed check to the enqueue; close() takes the write lock. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    /**
     * Opens (creating if needed) the store in {@code dataDir}.
     *
     * @throws RuncastException UNAVAILABLE with an operator-readable message when the directory cannot
     *         be created, the file is corrupt or not a Runcast database, or another store holds it
     */
    public static SqliteEventStore open(Path dataDir, Retention retention, SyncPolicy sync) {
        return open(dataDir, retention, sync, Clock.systemUTC());
    }

    /** As {@link #open(Path, Retention, SyncPolicy)}, with the clock that stamps events and drives retention. */
    public static SqliteEventStore open(Path dataDir, Retention retention, SyncPolicy sync, Clock clock) {
        return new SqliteEventStore(DataFile.lock(dataDir.toAbsolutePath()), retention, sync, clock);
    }

    private SqliteEventStore(DataFile file, Retention retention, SyncPolicy sync, Clock clock) {
        this.file = file;
        this.sync = sync;
        Connection wc = null;
        Connection cc = null;
        Reader r = null;
        try {
            wc = file.openWriter(sync);
            cc = file.openCheckpointer(sync);
            r = new Reader(file, READ_CONNECTIONS);
            acks = Executors.newSingleThreadExecutor(daemon("runcast-sqlite-ack"));
            writer = new Writer(wc, queue, retention, clock, acks, SWEEP_INTERVAL.toNanos());
        } catch (SQLException e) {
            if (r != null) r.close();
            DataFile.closeQuietly(cc);
            DataFile.closeQuietly(wc);
            file.close();
            throw new RuncastException(ErrorCode.UNAVAILABLE, "data file " + file.file
                    + " is not a Runcast database or is corrupt: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (r != null) r.close();
            DataFile.closeQuietly(cc);
            DataFile.closeQuietly(wc);
            file.close();
            throw e;
        }
        this.writeConnection = wc;
        this.reader = r;
        this.checkpointConnection = cc;
        this.writerThread = daemon("runcast-sqlite-writer").newThread(writer);
        this.checkpointer = new Checkpointer(cc, () -> writer.stats().commits(), writer::requestLogRestart);
        this.checkpointThread = daemon("runcast-sqlite-checkpoint").newThread(checkpointer);
        writerThread.start();
        checkpointThread.start();
    }

    @Override
    public void listener(CommitListener listener) {
        writer.listener(listener == null ? CommitListener.NONE : listener);
    }

    @Override
    public CompletionStage<List<Appended>> append(String run, List<EventDraft> drafts) {
        CompletableFuture<List<Appended>> done = new CompletableFuture<>();
        try {
            Sequencer.checkBatch(run, drafts); // refused at once, not after waiting behind the disk
            List<EventDraft> copy = List.copyOf(drafts);
            lifecycle.readLock().lock();
            try {
                if (closed) throw closedError();
                if (queue.size() >= MAX_QUEUED) {
                    throw new RuncastException(ErrorCode.LIMIT_EXCEEDED, "too many appends waiting for the disk; retry shortly");
                }
                queue.add(new Writer.Append(run, copy, done));
            } finally {
                lifecycle.readLock().unlock();
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    @Override
    public History read(String run, long after, int limit) {
        return reader.read(run, after, limit);
    }

    @Override
    public Optional<RunInfo> info(String run) {
        return reader.info(run);
    }

    @Override
    public List<RunInfo> list(int limit, boolean openOnly) {
        return reader.list(limit, openOnly);
    }

    @Override
    public String kind() {
        return "sqlite";
    }

    public SyncPolicy sync() {
        return sync;
    }

    /** The data file's path. */
    public Path file() {
        return file.file;
    }

    public Stats stats() {
        return writer.stats();
    }

    /**
     * Runs a full retention pass now (normally one starts every second) and completes when it is
     * done. For tests and operators; the pass still runs in chunks between append batches.
     */
    public CompletableFuture<Void> sweep() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        lifecycle.readLock().lock();
        try {
            if (closed) done.completeExceptionally(closedError());
            else queue.add(new Writer.Sweep(done));
        } finally {
            lifecycle.readLock().unlock();
        }
        return done;
    }

    /** Commits every append accepted so far, then releases the file. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            queue.add(new Writer.Stop());
        } finally {
            lifecycle.writeLock().unlock();
        }
        try {
            checkpointer.stop();
            checkpointThread.interrupt();
            checkpointThread.join(TimeUnit.SECONDS.toMillis(10));
            writerThread.join(TimeUnit.SECONDS.toMillis(30));
            acks.shutdown();
            acks.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        DataFile.closeQuietly(checkpointConnection);
        reader.close();
        DataFile.closeQuietly(writeConnection); // the last connection: SQLite checkpoints and removes the log
        file.close();
    }

    private static RuncastException closedError() {
        return new RuncastException(ErrorCode.UNAVAILABLE, "store is closed");
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "SqliteEventStore[" + file.file + ", sync=" + sync + "]";
    }
}
