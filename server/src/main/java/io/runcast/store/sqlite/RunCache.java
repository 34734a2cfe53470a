package io.runcast.store.sqlite;

import io.runcast.event.RunStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The writer's view of the {@code runs} table: committed run states, cached so that assigning a seq
 * needs no query, and loaded from the table on a miss. Writer thread only.
 */
final class RunCache {
    static final int MAX_CACHED = 100_000;

    private final PreparedStatement load;
    private final PreparedStatement save;
    private final PreparedStatement delete;
    private final Map<String, RunState> cached = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunState> eldest) {
            return size() > MAX_CACHED; // evicted states are simply loaded again from the table
        }
    };

    RunCache(Connection c) throws SQLException {
        load = c.prepareStatement("SELECT epoch, status, head, first, first_time, created, updated, closed_at FROM runs WHERE run = ?");
        save = c.prepareStatement("""
                INSERT INTO runs (run, epoch, status, head, first, first_time, created, updated, closed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run) DO UPDATE SET status = excluded.status, head = excluded.head,
                  first = excluded.first, first_time = excluded.first_time, updated = excluded.updated,
                  closed_at = excluded.closed_at""");
        delete = c.prepareStatement("DELETE FROM runs WHERE run = ?");
    }

    /** The committed state of a run, or null when the run does not exist. Do not mutate it: {@link RunState#copy()}. */
    RunState get(String run) throws SQLException {
        RunState s = cached.get(run);
        if (s != null) return s;
        load.setString(1, run);
        try (ResultSet rs = load.executeQuery()) {
            if (!rs.next()) return null;
            s = new RunState(run, rs.getString(1), RunStatus.valueOf(rs.getString(2)), rs.getLong(3), rs.getLong(4),
                    orMinusOne(rs, 5), rs.getLong(6), rs.getLong(7), orMinusOne(rs, 8));
        }
        cached.put(run, s);
        return s;
    }

    /** Writes a state's row in the current transaction; {@link #publish} it after the commit. */
    void save(RunState s) throws SQLException {
        save.setString(1, s.run);
        save.setString(2, s.epoch);
        save.setString(3, s.status.name());
        save.setLong(4, s.head);
        save.setLong(5, s.first);
        setOrNull(save, 6, s.firstTime);
        save.setLong(7, s.created);
        save.setLong(8, s.updated);
        setOrNull(save, 9, s.closedAt);
        save.executeUpdate();
    }

    void delete(String run) throws SQLException {
        delete.setString(1, run);
        delete.executeUpdate();
    }

    /** After a commit: the state is now the committed one. */
    void publish(RunState s) {
        s.dirty = false;
        cached.put(s.run, s);
    }

    void evict(String run) {
        cached.remove(run);
    }

    /** After a failed commit the table may differ from what was cached mid-batch; start again from it. */
    void clear() {
        cached.clear();
    }

    private static long orMinusOne(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? -1 : v;
    }

    private static void setOrNull(PreparedStatement st, int index, long value) throws SQLException {
        if (value < 0) st.setNull(index, Types.INTEGER);
        else st.setLong(index, value);
    }
}
