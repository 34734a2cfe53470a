package io.runcast.store.sqlite;

import io.runcast.store.Retention;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention, in small steps run by the writer thread between append batches: trims runs over the
 * count limit and events past the age limit (when those limits are set; by default a run keeps its
 * whole history), then removes expired closed runs, then forgets idempotency keys past their window. Each {@link #step()} deletes at most {@link #CHUNK} rows in
 * one transaction, so an append waits for at most one short step.
 */
final class Sweeper {
    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);
    static final int CHUNK = 1000;

    private enum Phase { COUNT, AGE, CLOSED, KEYS, DONE }

    private final Connection c;
    private final RunCache runs;
    private final Retention retention;
    /** Runs holding more than the count limit; filled by the writer after each commit. */
    private final Set<String> overLimit = new LinkedHashSet<>();
    private final PreparedStatement deleteRange;
    private final PreparedStatement deleteOlder;
    private final PreparedStatement oldest;
    private final PreparedStatement agedRuns;
    private final PreparedStatement expiredRuns;
    private final PreparedStatement deleteRunKeys;
    private final PreparedStatement deleteKeys;

    private Phase phase = Phase.DONE;
    private long now;
    /** States changed in the current step, published to the cache after its commit. */
    private final Map<String, RunState> staged = new HashMap<>();
    private final List<String> removed = new ArrayList<>();

    Sweeper(Connection c, RunCache runs, Retention retention) throws SQLException {
        this.c = c;
        this.runs = runs;
        this.retention = retention;
        deleteRange = c.prepareStatement("DELETE FROM events WHERE run = ? AND seq >= ? AND seq < ?");
        deleteOlder = c.prepareStatement("DELETE FROM events WHERE run = ? AND seq >= ? AND seq < ? AND time < ?");
        oldest = c.prepareStatement("SELECT seq, time FROM events WHERE run = ? ORDER BY seq LIMIT 1");
        agedRuns = c.prepareStatement("SELECT run FROM runs WHERE first_time IS NOT NULL AND first_time < ? ORDER BY first_time LIMIT 16");
        expiredRuns = c.prepareStatement("SELECT run FROM runs WHERE closed_at IS NOT NULL AND closed_at < ? LIMIT 16");
        deleteRunKeys = c.prepareStatement("DELETE FROM keys WHERE run = ?");
        deleteKeys = c.prepareStatement("DELETE FROM keys WHERE rowid IN (SELECT rowid FROM keys WHERE time < ? LIMIT ?)");
    }

    /** At start-up: runs left over the limit (e.g. the limit was lowered). */
    void findRunsOverLimit() throws SQLException {
        if (!retention.limitsCount()) return;
        try (PreparedStatement st = c.prepareStatement("SELECT run FROM runs WHERE head - first + 1 > ?")) {
            st.setLong(1, retention.maxEventsPerRun());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) overLimit.add(rs.getString(1));
            }
        }
    }

    void overLimit(String run) {
        overLimit.add(run);
    }

    /** Starts a pass with "now" fixed for the whole pass. */
    void begin(long nowMillis) {
        now = nowMillis;
        phase = Phase.COUNT;
    }

    /** Does one chunk of the current pass; returns true while the pass has more to do. */
    boolean step() {
        int budget = CHUNK;
        try {
            while (budget > 0 && phase != Phase.DONE) {
                int used = switch (phase) {
                    case COUNT -> trimByCount(budget);
                    case AGE -> trimByAge(budget);
                    case CLOSED -> expireClosed(budget);
                    case KEYS -> forgetKeys(budget);
                    case DONE -> 0;
                };
                budget -= Math.max(used, 1); // a step that found nothing still costs something: it ends
            }
            for (RunState s : staged.values()) runs.save(s);
            c.commit();
            staged.values().forEach(runs::publish);
            removed.forEach(runs::evict);
        } catch (SQLException e) {
            log.warn("retention step failed, will retry on the next pass: {}", e.getMessage());
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the next transaction starts clean or fails loudly itself
            }
            runs.clear();
            phase = Phase.DONE;
        } finally {
            staged.clear();
            removed.clear();
        }
        return phase != Phase.DONE;
    }

    private RunState state(String run) throws SQLException {
        RunState s = staged.get(run);
        if (s != null) return s;
        RunState committed = runs.get(run);
        if (committed == null) return null;
        s = committed.copy();
        staged.put(run, s);
        return s;
    }

    private int trimByCount(int budget) throws SQLException {
        Iterator<String> it = overLimit.iterator();
        if (!it.hasNext()) {
            phase = Phase.AGE;
            return 0;
        }
        String run = it.next();
        RunState s = state(run);
        long target = s == null ? 0 : s.head - retention.maxEventsPerRun() + 1;
        if (s == null || s.first >= target) {
            it.remove();
            return 0;
        }
        long upTo = Math.min(target, s.first + budget);
        int n = deleteRange(run, s.first, upTo);
        s.first = upTo;
        refreshFirstTime(s);
        if (upTo == target) it.remove();
        return n;
    }

    private int trimByAge(int budget) throws SQLException {
        if (retention.maxEventAge().isZero()) {
            phase = Phase.CLOSED;
            return 0;
        }
        long cutoff = now - retention.maxEventAge().toMillis();
        List<String> aged = select(agedRuns, cutoff);
        if (aged.isEmpty()) {
            phase = Phase.CLOSED;
            return 0;
        }
        int used = 0;
        for (String run : aged) {
            if (used >= budget) break;
            RunState s = state(run);
            if (s == null) continue;
            deleteOlder.setString(1, run);
            deleteOlder.setLong(2, s.first);
            deleteOlder.setLong(3, s.first + (budget - used));
            deleteOlder.setLong(4, cutoff);
            used += deleteOlder.executeUpdate();
            refreshFirstTime(s);
            runs.save(s); // the next select must see the new first_time
        }
        return used;
    }

    private int expireClosed(int budget) throws SQLException {
        if (retention.closedRunTtl().isZero()) {
            phase = Phase.KEYS;
            return 0;
        }
        List<String> expired = select(expiredRuns, now - retention.closedRunTtl().toMillis());
        if (expired.isEmpty()) {
            phase = Phase.KEYS;
            return 0;
        }
        int used = 0;
        for (String run : expired) {
            if (used >= budget) break;
            RunState s = state(run);
            if (s == null) continue;
            long upTo = Math.min(s.head + 1, s.first + (budget - used));
            used += deleteRange(run, s.first, upTo);
            s.first = upTo;
            if (s.first > s.head) {
                deleteRunKeys.setString(1, run);
                used += deleteRunKeys.executeUpdate();
                runs.delete(run);
                staged.remove(run);
                removed.add(run);
                used++;
            } else {
                refreshFirstTime(s);
            }
        }
        return used;
    }

    private int forgetKeys(int budget) throws SQLException {
        deleteKeys.setLong(1, now - retention.idempotencyWindow().toMillis());
        deleteKeys.setInt(2, budget);
        int n = deleteKeys.executeUpdate();
        if (n < budget) phase = Phase.DONE;
        return n;
    }

    private int deleteRange(String run, long from, long to) throws SQLException {
        deleteRange.setString(1, run);
        deleteRange.setLong(2, from);
        deleteRange.setLong(3, to);
        return deleteRange.executeUpdate();
    }

    /** Sets first and first_time from the oldest event left (everything below first is already gone). */
    private void refreshFirstTime(RunState s) throws SQLException {
        oldest.setString(1, s.run);
        try (ResultSet rs = oldest.executeQuery()) {
            if (rs.next()) {
                s.first = rs.getLong(1);
                s.firstTime = rs.getLong(2);
            } else {
                s.first = s.head + 1;
                s.firstTime = -1;
            }
        }
    }

    private static List<String> select(PreparedStatement st, long cutoff) throws SQLException {
        st.setLong(1, cutoff);
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
