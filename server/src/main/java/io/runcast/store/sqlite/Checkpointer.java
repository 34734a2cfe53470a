package io.runcast.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves committed pages from the write-ahead log into the database file on its own thread and
 * connection, so the writer never waits for a checkpoint (SQLite's automatic checkpoint runs inside
 * a commit and, under {@code synchronous=NORMAL} or {@code FULL}, fsyncs the log and the database
 * file there). Checkpoints are PASSIVE: they copy what they can without blocking the writer or the
 * readers; when the log has grown past {@link #RESTART_FRAMES} the writer is asked to restart it.
 * Durability is unchanged — a commit is durable in the log before it is acknowledged, and
 * a crash mid-checkpoint is repaired from the log at the next open.
 */
final class Checkpointer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Checkpointer.class);
    static final long INTERVAL_MILLIS = 100;
    /**
     * Log frames (4 KiB pages) beyond which the writer is asked to restart the log between two
     * batches; with {@code journal_size_limit} this keeps the log file near 64 MiB under sustained load.
     */
    static final int RESTART_FRAMES = 8_192;

    private final Connection c;
    private final LongSupplier commits;
    private final Runnable restartLog;
    private volatile boolean stop;
    private long checkpointedAt = -1;

    Checkpointer(Connection c, LongSupplier commits, Runnable restartLog) {
        this.c = c;
        this.commits = commits;
        this.restartLog = restartLog;
    }

    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        while (!stop) {
            try {
                Thread.sleep(INTERVAL_MILLIS);
                long now = commits.getAsLong();
                if (now == checkpointedAt) continue; // nothing new in the log
                checkpointedAt = now;
                int frames = checkpoint("PASSIVE");
                if (frames > RESTART_FRAMES) restartLog.run();
            } catch (InterruptedException e) {
                return;
            } catch (SQLException e) {
                log.warn("WAL checkpoint failed, will retry: {}", e.getMessage());
            }
        }
    }

    /** Returns the number of frames in the log. */
    private int checkpoint(String mode) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            return rs.next() ? rs.getInt(2) : 0;
        }
    }
}
