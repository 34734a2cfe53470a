package io.runcast.store.sqlite;

import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The one SQLite file under a data directory: opening connections, checking that the file is a
 * healthy Runcast database, and creating the schema in a fresh one. Every failure here becomes a
 * single {@code UNAVAILABLE} exception with a message an operator can act on, so start-up fails
 * once and clearly instead of retrying into a loop of stack traces.
 */
final class DataFile implements AutoCloseable {
    static final String FILE_NAME = "runcast.db";
    /** {@code PRAGMA application_id}: "RCST". Marks the file as ours. */
    static final int APPLICATION_ID = 0x52435354;
    /** {@code PRAGMA user_version}: the schema format this code writes. */
    static final int FORMAT = 1;

    private static final String[] SCHEMA = {
        // One row per run: the sequencer's state, so seqs continue after a restart.
        // first_time: time of the oldest retained event (NULL when none) — finds runs to trim by age.
        // closed_at: time of the terminal event (NULL while open) — finds closed runs to expire.
        """
        CREATE TABLE IF NOT EXISTS runs (
          run TEXT PRIMARY KEY, epoch TEXT NOT NULL, status TEXT NOT NULL,
          head INTEGER NOT NULL, first INTEGER NOT NULL, first_time INTEGER,
          created INTEGER NOT NULL, updated INTEGER NOT NULL, closed_at INTEGER)""",
        "CREATE INDEX IF NOT EXISTS runs_created ON runs(created)",
        "CREATE INDEX IF NOT EXISTS runs_first_time ON runs(first_time) WHERE first_time IS NOT NULL",
        "CREATE INDEX IF NOT EXISTS runs_closed_at ON runs(closed_at) WHERE closed_at IS NOT NULL",
        // Clustered by (run, seq): a history page is one range scan.
        """
        CREATE TABLE IF NOT EXISTS events (
          run TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, type TEXT NOT NULL,
          time INTEGER NOT NULL, step TEXT, agent TEXT, data TEXT NOT NULL,
          PRIMARY KEY (run, seq)) WITHOUT ROWID""",
        // Idempotency keys, kept apart from events so they outlive trimming for their window.
        """
        CREATE TABLE IF NOT EXISTS keys (
          run TEXT NOT NULL, key TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL,
          type TEXT NOT NULL, time INTEGER NOT NULL)""",
        "CREATE UNIQUE INDEX IF NOT EXISTS keys_run_key ON keys(run, key)",
        "CREATE INDEX IF NOT EXISTS keys_time ON keys(time)",
    };

    final Path dir;
    final Path file;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataFile(Path dir, Path file, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.file = file;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Creates the directory if needed and takes the lock that keeps a second process off the file. */
    static DataFile lock(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new RuncastException(ErrorCode.UNAVAILABLE, "cannot create data directory " + dir + ": " + e, e);
        }
        if (Files.exists(file) && (!Files.isRegularFile(file) || !Files.isReadable(file))) {
            throw new RuncastException(ErrorCode.UNAVAILABLE,
                    "data file " + file + " is not a Runcast database: it is not a readable regular file");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(dir.resolve(FILE_NAME + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) throw new OverlappingFileLockException();
            return new DataFile(dir, file, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new RuncastException(ErrorCode.UNAVAILABLE,
                    "data file " + file + " is in use by another Runcast store (another process or an unclosed store)");
        } catch (IOException e) {
            closeQuietly(channel);
            throw new RuncastException(ErrorCode.UNAVAILABLE, "cannot lock data directory " + dir + ": " + e, e);
        }
    }

    /** The writer's connection: checks the file, sets WAL and the sync policy, creates the schema. */
    Connection openWriter(SyncPolicy sync) {
        Connection c = null;
        try {
            c = connect();
            try (Statement st = c.createStatement()) {
                checkHealthy(st);
                checkOurs(st);
                String mode = queryString(st, "PRAGMA journal_mode=WAL");
                if (!"wal".equalsIgnoreCase(mode)) throw new SQLException("cannot switch to WAL mode (got " + mode + ")");
                st.execute("PRAGMA synchronous=" + sync.pragma());
                st.execute("PRAGMA cache_size=-16000");
                st.execute("PRAGMA temp_store=MEMORY");
                st.execute("PRAGMA wal_autocheckpoint=0"); // the Checkpointer does it off the writer thread
                st.execute("PRAGMA journal_size_limit=" + (64L << 20)); // a reset log is truncated to this
                c.setAutoCommit(false);
                st.execute("PRAGMA application_id=" + APPLICATION_ID);
                st.execute("PRAGMA user_version=" + FORMAT);
                for (String ddl : SCHEMA) st.execute(ddl);
                c.commit();
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw corrupt(e.getMessage(), e);
        } catch (RuncastException e) {
            closeQuietly(c);
            throw e;
        }
    }

    /** The checkpointer's connection: fsyncs as the writer's does. */
    Connection openCheckpointer(SyncPolicy sync) throws SQLException {
        Connection c = connect();
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA synchronous=" + sync.pragma());
        }
        return c;
    }

    /** A connection for the read path; WAL lets it read while the writer commits. */
    Connection openReader() throws SQLException {
        Connection c = connect();
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA query_only=1");
        }
        c.setAutoCommit(false);
        return c;
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=10000");
        }
        return c;
    }

    /** Fails on a file that is not SQLite or whose pages are damaged. */
    private void checkHealthy(Statement st) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("PRAGMA quick_check")) {
            while (rs.next()) problems.add(rs.getString(1));
        }
        if (!(problems.size() == 1 && "ok".equalsIgnoreCase(problems.get(0)))) {
            throw corrupt("quick_check found " + String.join("; ", problems.subList(0, Math.min(5, problems.size()))), null);
        }
    }

    /** Refuses a healthy SQLite file written by someone else, or by a newer Runcast. */
    private void checkOurs(Statement st) throws SQLException {
        int appId = queryInt(st, "PRAGMA application_id");
        int format = queryInt(st, "PRAGMA user_version");
        int tables = queryInt(st, "SELECT count(*) FROM sqlite_master");
        if (appId == 0 && tables == 0) return; // a new (or empty) file: ours to initialise
        if (appId != APPLICATION_ID) {
            throw new RuncastException(ErrorCode.UNAVAILABLE, "data file " + file
                    + " is not a Runcast database: it is a SQLite file of another application (application_id "
                    + appId + "). Point --data at another directory or move the file aside.");
        }
        if (format > FORMAT) {
            throw new RuncastException(ErrorCode.UNAVAILABLE, "data file " + file + " was written by a newer Runcast (format "
                    + format + ", this version reads up to " + FORMAT + ")");
        }
    }

    private RuncastException corrupt(String detail, Throwable cause) {
        return new RuncastException(ErrorCode.UNAVAILABLE, "data file " + file
                + " is not a Runcast database or is corrupt: " + detail
                + ". Move it aside to start with empty history, or restore it from a backup.", cause);
    }

    private static String queryString(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static int queryInt(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on an error path; the first error is the one worth reporting
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // the lock dies with the channel anyway
        }
        closeQuietly(lockChannel);
    }
}
