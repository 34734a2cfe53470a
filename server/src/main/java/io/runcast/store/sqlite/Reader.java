package io.runcast.store.sqlite;

import io.runcast.event.Event;
import io.runcast.event.RunStatus;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The read path: a small pool of read-only connections. WAL mode lets them read committed data while
 * the writer commits; each call reads inside one short transaction, so a history page and the run
 * row it is returned with come from the same snapshot.
 */
final class Reader implements AutoCloseable {
    private static final String RUN_COLUMNS = "run, epoch, status, head, first, created, updated";

    /** One connection with its statements prepared once. */
    private static final class Conn {
        final Connection c;
        final PreparedStatement run;
        final PreparedStatement events;
        final PreparedStatement listAll;
        final PreparedStatement listOpen;

        Conn(Connection c) throws SQLException {
            this.c = c;
            run = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE run = ?");
            events = c.prepareStatement(
                    "SELECT seq, id, type, time, step, agent, data FROM events WHERE run = ? AND seq > ? ORDER BY seq LIMIT ?");
            listAll = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs ORDER BY created DESC, run LIMIT ?");
            listOpen = c.prepareStatement(
                    "SELECT " + RUN_COLUMNS + " FROM runs WHERE closed_at IS NULL ORDER BY created DESC, run LIMIT ?");
        }
    }

    @FunctionalInterface
    private interface Query<T> {
        T run(Conn c) throws SQLException;
    }

    private final BlockingQueue<Conn> pool;
    private final int size;
    private volatile boolean closed;

    Reader(DataFile file, int size) throws SQLException {
        this.size = size;
        this.pool = new ArrayBlockingQueue<>(size);
        try {
            for (int i = 0; i < size; i++) pool.add(new Conn(file.openReader()));
        } catch (SQLException e) {
            pool.forEach(c -> DataFile.closeQuietly(c.c));
            throw e;
        }
    }

    History read(String run, long after, int limit) {
        return withConnection(c -> {
            c.run.setString(1, run);
            RunInfo info;
            try (ResultSet rs = c.run.executeQuery()) {
                if (!rs.next()) return History.UNKNOWN;
                info = runInfo(rs);
            }
            if (limit <= 0) return new History(info.epoch(), info.first(), info.head(), List.of());
            c.events.setString(1, run);
            c.events.setLong(2, after);
            c.events.setInt(3, limit);
            List<Event> page = new ArrayList<>(Math.min(limit, 512));
            try (ResultSet rs = c.events.executeQuery()) {
                while (rs.next()) {
                    page.add(new Event(run, rs.getLong(1), rs.getString(2), rs.getString(3),
                            Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            return new History(info.epoch(), info.first(), info.head(), page);
        });
    }

    Optional<RunInfo> info(String run) {
        return withConnection(c -> {
            c.run.setString(1, run);
            try (ResultSet rs = c.run.executeQuery()) {
                return rs.next() ? Optional.of(runInfo(rs)) : Optional.empty();
            }
        });
    }

    List<RunInfo> list(int limit, boolean openOnly) {
        if (limit <= 0) return List.of();
        return withConnection(c -> {
            PreparedStatement st = openOnly ? c.listOpen : c.listAll;
            st.setInt(1, limit);
            List<RunInfo> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.add(runInfo(rs));
            }
            return out;
        });
    }

    private static RunInfo runInfo(ResultSet rs) throws SQLException {
        return new RunInfo(rs.getString(1), rs.getString(2), RunStatus.valueOf(rs.getString(3)), rs.getLong(4),
                rs.getLong(5), Instant.ofEpochMilli(rs.getLong(6)), Instant.ofEpochMilli(rs.getLong(7)));
    }

    private <T> T withConnection(Query<T> query) {
        Conn c = borrow();
        try {
            return query.run(c);
        } catch (SQLException e) {
            throw new RuncastException(ErrorCode.UNAVAILABLE, "reading history failed: " + e.getMessage(), e);
        } finally {
            try {
                c.c.commit(); // ends the read snapshot, so the WAL can be checkpointed past it
            } catch (SQLException ignored) {
                // a failed read already reported; the next use begins a new transaction anyway
            }
            pool.add(c);
        }
    }

    private Conn borrow() {
        if (closed) throw closedError();
        try {
            Conn c = pool.poll(10, TimeUnit.SECONDS);
            if (c == null) throw new RuncastException(ErrorCode.UNAVAILABLE, "no read connection free; the store is overloaded");
            if (closed) {
                pool.add(c);
                throw closedError();
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuncastException(ErrorCode.UNAVAILABLE, "interrupted while waiting for a read connection");
        }
    }

    private static RuncastException closedError() {
        return new RuncastException(ErrorCode.UNAVAILABLE, "store is closed");
    }

    /** Closes the connections, waiting briefly for ones still in use. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < size; i++) {
            try {
                Conn c = pool.poll(5, TimeUnit.SECONDS);
                if (c == null) break;
                DataFile.closeQuietly(c.c);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }
}
