package io.runcast.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Holds the write lock of a server's SQLite data file from a second connection, as another writer
 * would: while held, the store cannot commit, so appends stay unacknowledged for exactly as long as a
 * test says — a deterministic "slow disk" without sleeping.
 */
public final class SqliteWriterLock implements AutoCloseable {
    private final Connection connection;

    private SqliteWriterLock(Connection connection) {
        this.connection = connection;
    }

    /** Takes the lock on {@code dataDir/runcast.db}; returns once it is held. */
    public static SqliteWriterLock hold(Path dataDir) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("runcast.db"));
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=10000");
            st.execute("BEGIN IMMEDIATE");
        }
        return new SqliteWriterLock(c);
    }

    /** Lets the store commit again. */
    @Override
    public void close() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } finally {
            connection.close();
        }
    }
}
