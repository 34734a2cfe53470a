package io.runcast.store.sqlite;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.Drafts;
import io.runcast.store.Retention;
import io.runcast.store.Sequencer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes: group commit. It takes every append waiting in the queue (up to a
 * batch limit), sequences them against the cached run heads, writes them in one transaction, commits
 * (one fsync under {@link SyncPolicy#FULL} for the whole batch), and only then tells the listener —
 * in seq order per run — and completes the producers' futures. Between batches it runs one small
 * chunk of retention work, so trimming never holds appends back for long.
 */
final class Writer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Writer.class);
    static final int MAX_APPENDS_PER_BATCH = 1024;
    static final int MAX_EVENTS_PER_BATCH = 8192;

    sealed interface Job permits Append, Sweep, Stop {}

    record Append(String run, List<EventDraft> drafts, CompletableFuture<List<Appended>> done) implements Job {}

    record Sweep(CompletableFuture<Void> done) implements Job {}

    record Stop() implements Job {}

    /** The result of one append within a batch: its answers and the events it added, or its refusal. */
    private record Outcome(Append append, List<Appended> result, List<Event> fresh, RuntimeException error) {}

    private final Connection c;
    private final BlockingQueue<Job> queue;
    private final RunCache runs;
    private final Sweeper sweeper;
    private final Retention retention;
    private final Sequencer sequencer;
    private final Clock clock;
    private final Executor acks;
    private final long sweepIntervalNanos;
    private final PreparedStatement insertEvent;
    private final PreparedStatement insertKey;
    private final PreparedStatement findKey;
    private volatile CommitListener listener = CommitListener.NONE;
    /** Set by the {@link Checkpointer} when the log has grown and only the writer can reset it. */
    private volatile boolean restartLog;

    // statistics, written by this thread only
    private volatile long commits;
    private volatile long appends;
    private volatile long events;

    Writer(Connection c, BlockingQueue<Job> queue, Retention retention, Clock clock, Executor acks,
           long sweepIntervalNanos) throws SQLException {
        this.c = c;
        this.queue = queue;
        this.retention = retention;
        this.sequencer = new Sequencer(retention.idempotencyWindow());
        this.clock = clock;
        this.acks = acks;
        this.sweepIntervalNanos = sweepIntervalNanos;
        this.runs = new RunCache(c);
        this.sweeper = new Sweeper(c, runs, retention);
        insertEvent = c.prepareStatement("INSERT INTO events (run, seq, id, type, time, step, agent, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insertKey = c.prepareStatement("INSERT OR REPLACE INTO keys (run, key, seq, id, type, time) VALUES (?, ?, ?, ?, ?, ?)");
        findKey = c.prepareStatement("""
                SELECT k.seq, k.id, k.type, k.time, e.step, e.agent, e.data
                FROM keys k LEFT JOIN events e ON e.run = k.run AND e.seq = k.seq
                WHERE k.run = ? AND k.key = ?""");
        sweeper.findRunsOverLimit();
        c.commit();
    }

    void requestLogRestart() {
        restartLog = true;
    }

    /**
     * Checkpoints everything and makes the next commit start the log from its beginning. Done here,
     * between two batches, because a checkpointer on another connection would rarely find the writer
     * idle under sustained load, and the log would grow without bound.
     */
    private void restartLogIfAsked() {
        if (!restartLog) return;
        restartLog = false;
        try (java.sql.Statement st = c.createStatement()) {
            st.execute("PRAGMA wal_checkpoint(RESTART)");
        } catch (SQLException e) {
            log.warn("WAL restart failed, will retry: {}", e.getMessage());
        }
    }

    void listener(CommitListener listener) {
        this.listener = listener;
    }

    SqliteEventStore.Stats stats() {
        return new SqliteEventStore.Stats(commits, appends, events);
    }

    @Override
    public void run() {
        List<Append> batch = new ArrayList<>();
        List<CompletableFuture<Void>> sweepRequests = new ArrayList<>();
        List<CompletableFuture<Void>> sweepWaiters = new ArrayList<>();
        boolean sweeping = false;
        boolean stopping = false;
        long nextSweep = System.nanoTime() + sweepIntervalNanos;
        while (true) {
            try {
                long wait = sweeping || stopping ? 0 : Math.max(0, nextSweep - System.nanoTime());
                Job job = queue.poll(wait, TimeUnit.NANOSECONDS);
                int eventCount = 0;
                while (job != null) {
                    if (job instanceof Append a) {
                        batch.add(a);
                        eventCount += a.drafts().size();
                    } else if (job instanceof Sweep s) {
                        sweepRequests.add(s.done());
                    } else {
                        stopping = true;
                    }
                    if (batch.size() >= MAX_APPENDS_PER_BATCH || eventCount >= MAX_EVENTS_PER_BATCH) break;
                    job = queue.poll();
                }
                if (!batch.isEmpty()) {
                    commitBatch(batch);
                    batch.clear();
                }
                restartLogIfAsked();
                if (stopping) {
                    if (queue.isEmpty()) break; // close() enqueues Stop last: everything before it is flushed
                    continue;
                }
                if (!sweeping && (!sweepRequests.isEmpty() || System.nanoTime() >= nextSweep)) {
                    sweeper.begin(clock.millis());
                    sweeping = true;
                    sweepWaiters.addAll(sweepRequests);
                    sweepRequests.clear();
                }
                if (sweeping) {
                    sweeping = sweeper.step();
                    if (!sweeping) {
                        nextSweep = System.nanoTime() + sweepIntervalNanos;
                        sweepWaiters.forEach(f -> f.complete(null));
                        sweepWaiters.clear();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                log.error("SQLite writer: unexpected failure; continuing", e);
            }
        }
        RuncastException closed = new RuncastException(ErrorCode.UNAVAILABLE, "store is closed");
        sweepRequests.forEach(f -> f.completeExceptionally(closed));
        sweepWaiters.forEach(f -> f.completeExceptionally(closed));
    }

    private void commitBatch(List<Append> batch) {
        long now = clock.millis();
        Instant time = Instant.ofEpochMilli(now);
        Map<String, RunState> staged = new LinkedHashMap<>();
        Map<String, Event> batchKeys = new HashMap<>();
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        try {
            for (Append a : batch) {
                RunState s = staged.get(a.run());
                if (s == null) {
                    RunState committed = runs.get(a.run());
                    s = committed == null ? RunState.fresh(a.run(), Drafts.newEpoch(), now) : committed.copy();
                    staged.put(a.run(), s);
                }
                try {
                    outcomes.add(sequence(a, s, time, batchKeys));
                } catch (RuncastException refused) {
                    outcomes.add(new Outcome(a, null, null, refused));
                }
            }
            insertEvent.executeBatch();
            insertKey.executeBatch();
            for (RunState s : staged.values()) if (s.dirty) runs.save(s);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            // nothing of the batch is stored: every producer in it hears so, none is left waiting
            rollback();
            RuncastException failed = new RuncastException(ErrorCode.UNAVAILABLE, "storage failed, nothing was appended: " + e.getMessage(), e);
            log.warn("SQLite append batch of {} failed: {}", batch.size(), e.toString());
            List<Append> failedAppends = List.copyOf(batch);
            acks.execute(() -> failedAppends.forEach(a -> a.done().completeExceptionally(failed)));
            return;
        }
        long added = 0;
        for (RunState s : staged.values()) {
            if (!s.dirty) continue;
            runs.publish(s);
            if (retention.limitsCount() && s.retained() > retention.maxEventsPerRun()) sweeper.overLimit(s.run);
        }
        CommitListener l = listener;
        for (Outcome o : outcomes) {
            if (o.fresh() == null || o.fresh().isEmpty()) continue;
            added += o.fresh().size();
            try {
                l.committed(o.append().run(), o.fresh());
            } catch (RuntimeException e) {
                log.warn("commit listener failed for run {}", o.append().run(), e);
            }
        }
        commits++;
        appends += batch.size();
        events += added;
        acks.execute(() -> {
            for (Outcome o : outcomes) {
                if (o.error() != null) o.append().done().completeExceptionally(o.error());
                else o.append().done().complete(o.result());
            }
        });
    }

    /** Sequences one append and queues its rows; a refusal (thrown) queues nothing. */
    private Outcome sequence(Append a, RunState s, Instant now, Map<String, Event> batchKeys) throws SQLException {
        Sequencer.Sequenced q = sequencer.sequence(a.run(), s.sequencing(), a.drafts(), now, key -> {
            Event earlier = batchKeys.get(a.run() + '\n' + key); // from an earlier append of this transaction
            return earlier != null ? earlier : findKey(a.run(), key);
        });
        if (q.fresh().isEmpty()) return new Outcome(a, q.answers(), q.fresh(), null);
        long t = q.state().time().toEpochMilli();
        for (Event e : q.fresh()) {
            insertEvent.setString(1, e.run());
            insertEvent.setLong(2, e.seq());
            insertEvent.setString(3, e.id());
            insertEvent.setString(4, e.type());
            insertEvent.setLong(5, t);
            insertEvent.setString(6, e.step());
            insertEvent.setString(7, e.agent());
            insertEvent.setString(8, e.data());
            insertEvent.addBatch();
        }
        for (Map.Entry<String, Event> k : q.keys().entrySet()) {
            Event e = k.getValue();
            insertKey.setString(1, e.run());
            insertKey.setString(2, k.getKey());
            insertKey.setLong(3, e.seq());
            insertKey.setString(4, e.id());
            insertKey.setString(5, e.type());
            insertKey.setLong(6, t);
            insertKey.addBatch();
            batchKeys.put(a.run() + '\n' + k.getKey(), e);
        }
        s.advance(q.state());
        return new Outcome(a, q.answers(), q.fresh(), null);
    }

    /** The event first appended under a key not yet forgotten; its body is gone if trimmed since. */
    private Event findKey(String run, String key) throws SQLException {
        findKey.setString(1, run);
        findKey.setString(2, key);
        try (ResultSet rs = findKey.executeQuery()) {
            if (!rs.next()) return null;
            String data = rs.getString(7);
            return new Event(run, rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                    rs.getString(5), rs.getString(6), data == null ? "{}" : data);
        }
    }

    private void rollback() {
        try {
            insertEvent.clearBatch();
            insertKey.clearBatch();
            c.rollback();
        } catch (SQLException e) {
            log.warn("SQLite rollback failed: {}", e.getMessage());
        }
        runs.clear();
    }
}
