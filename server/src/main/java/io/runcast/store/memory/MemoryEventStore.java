package io.runcast.store.memory;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.RunStatus;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.Appended;
import io.runcast.store.CommitListener;
import io.runcast.store.Drafts;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.Retention;
import io.runcast.store.RunInfo;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps each run's history in this process, bounded by {@link Retention}. Nothing survives a
 * restart, which is why every run gets a fresh epoch when it is created: a client resuming against
 * a restarted server is told "not recovered" instead of silently missing events.
 */
public final class MemoryEventStore implements EventStore {
    private final ConcurrentHashMap<String, RunLog> runs = new ConcurrentHashMap<>();
    private final Retention retention;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;
    private volatile CommitListener listener = CommitListener.NONE;
    private volatile boolean closed;

    public MemoryEventStore() {
        this(Retention.DEFAULT);
    }

    public MemoryEventStore(Retention retention) {
        this(retention, Clock.systemUTC());
    }

    /** With the clock that stamps events and drives retention (tests move it forward). */
    public MemoryEventStore(Retention retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runcast-memory-retention");
            t.setDaemon(true);
            return t;
        });
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void listener(CommitListener listener) {
        this.listener = listener == null ? CommitListener.NONE : listener;
    }

    @Override
    public CompletionStage<List<Appended>> append(String run, List<EventDraft> drafts) {
        try {
            if (closed) throw new RuncastException(ErrorCode.UNAVAILABLE, "store is closed");
            Drafts.checkBatch(run, drafts);
            while (true) {
                RunLog log = runs.computeIfAbsent(run, r -> new RunLog(r, retention.maxEventsPerRun()));
                synchronized (log) {
                    if (log.removed) continue; // raced with expiry; the next loop creates it anew
                    return CompletableFuture.completedFuture(log.append(drafts, retention, listener, clock));
                }
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public History read(String run, long after, int limit) {
        RunLog log = runs.get(run);
        if (log == null) return History.UNKNOWN;
        synchronized (log) {
            return log.read(after, limit);
        }
    }

    @Override
    public Optional<RunInfo> info(String run) {
        RunLog log = runs.get(run);
        if (log == null) return Optional.empty();
        synchronized (log) {
            return log.removed ? Optional.empty() : Optional.of(log.info());
        }
    }

    @Override
    public List<RunInfo> list(int limit, boolean openOnly) {
        List<RunInfo> all = new ArrayList<>();
        for (RunLog log : runs.values()) {
            synchronized (log) {
                if (!log.removed && (!openOnly || !log.status.isClosed())) all.add(log.info());
            }
        }
        all.sort(Comparator.comparing(RunInfo::createdAt).reversed().thenComparing(RunInfo::run));
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    @Override
    public String kind() {
        return "memory";
    }

    @Override
    public void close() {
        closed = true;
        sweeper.shutdownNow();
    }

    /** Trims by age, forgets old idempotency keys and removes expired closed runs. */
    void sweep() {
        sweep(clock.instant());
    }

    void sweep(Instant now) {
        for (RunLog log : runs.values()) {
            synchronized (log) {
                if (log.expired(now, retention)) {
                    log.removed = true;
                    runs.remove(log.run, log);
                } else {
                    log.trimByAge(now, retention);
                    log.forgetKeys(now, retention);
                }
            }
        }
    }

    /** One run's state; every method runs under the log's monitor. */
    private static final class RunLog {
        final String run;
        final String epoch = Drafts.newEpoch();
        final EventRing events;
        final java.util.LinkedHashMap<String, Event> keys = new java.util.LinkedHashMap<>();
        RunStatus status = RunStatus.RUNNING;
        long head;
        Instant createdAt;
        Instant updatedAt;
        boolean removed;

        RunLog(String run, int capacity) {
            this.run = run;
            this.events = new EventRing(capacity);
        }

        List<Appended> append(List<EventDraft> drafts, Retention retention, CommitListener listener, Clock clock) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            if (updatedAt != null && now.isBefore(updatedAt)) now = updatedAt; // per-run time never goes backwards
            Instant notBefore = now.minus(retention.idempotencyWindow());
            boolean keysOn = !retention.idempotencyWindow().isZero();
            List<Appended> result = new ArrayList<>(drafts.size());
            List<Event> fresh = new ArrayList<>(drafts.size());
            Map<String, Event> ownKeys = new HashMap<>();
            for (EventDraft d : drafts) {
                String key = keysOn ? d.key() : null;
                if (key != null) {
                    Event original = ownKeys.get(key);
                    if (original == null) {
                        original = keys.get(key);
                        if (original != null && original.time().isBefore(notBefore)) original = null;
                    }
                    if (original != null) {
                        result.add(new Appended(original, true));
                        continue;
                    }
                }
                Event e = Drafts.toEvent(run, head + fresh.size() + 1, d, now);
                fresh.add(e);
                result.add(new Appended(e, false));
                if (key != null) ownKeys.put(key, e);
            }
            // a retry whose every draft is a duplicate gets its answer even after the run has closed
            if (fresh.isEmpty()) return result;
            if (status.isClosed()) throw Drafts.closed(run);
            for (Event e : fresh) {
                events.add(e);
                status = status.after(e.type());
            }
            for (Map.Entry<String, Event> k : ownKeys.entrySet()) {
                keys.remove(k.getKey()); // re-insert so that insertion order stays time order
                keys.put(k.getKey(), k.getValue());
            }
            head += fresh.size();
            if (createdAt == null) createdAt = now;
            updatedAt = now;
            listener.committed(run, List.copyOf(fresh));
            return result;
        }

        History read(long after, int limit) {
            long first = events.isEmpty() ? head + 1 : events.first().seq();
            return new History(epoch, first, head, events.after(after, limit));
        }

        RunInfo info() {
            long first = events.isEmpty() ? head + 1 : events.first().seq();
            return new RunInfo(run, epoch, status, head, first, createdAt, updatedAt);
        }

        boolean expired(Instant now, Retention r) {
            return status.isClosed() && !r.closedRunTtl().isZero()
                    && updatedAt.plus(r.closedRunTtl()).isBefore(now);
        }

        void trimByAge(Instant now, Retention r) {
            if (r.maxEventAge().isZero()) return;
            Instant cutoff = now.minus(r.maxEventAge());
            while (!events.isEmpty() && events.first().time().isBefore(cutoff)) events.removeFirst();
        }

        void forgetKeys(Instant now, Retention r) {
            Instant cutoff = now.minus(r.idempotencyWindow());
            // insertion order is time order, so stop at the first key still inside the window
            var it = keys.values().iterator();
            while (it.hasNext() && it.next().time().isBefore(cutoff)) it.remove();
        }
    }
}
