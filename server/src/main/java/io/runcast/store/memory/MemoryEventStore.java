package io.runcast.store.memory;

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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps each run's history in this process. Nothing survives a restart, which is why every run gets
 * a fresh epoch when it is created: a client resuming against a restarted server is told "not
 * recovered" instead of silently missing events.
 *
 * <h2>Memory budget</h2>
 * History lives in the heap, so it is bounded by {@link Retention#memoryBudgetBytes()}. The store
 * charges every run, retained event and remembered key its estimated heap size ({@link Footprint},
 * which errs high) and keeps the total. When an append takes the total over the budget, before the
 * append returns:
 * <ol>
 *   <li>closed runs are dropped whole, the one that closed first going first, until the total is
 *       within the budget (a dropped run is unknown afterwards, as if its closed-run TTL had passed);</li>
 *   <li>if only open runs are left, the oldest events of the open run retaining the most bytes are
 *       trimmed, down to 15/16 of the budget so the search for the largest run happens once per
 *       sixteenth of the budget appended rather than once per event; then the next largest, and so
 *       on. A long run thus loses its beginning before a short run loses anything; {@code first}
 *       says where its history now starts, and resumes from before it answer "not recovered".</li>
 * </ol>
 * Run state and idempotency keys inside their window are never evicted (they are small, and a key
 * forgotten early would let a retry append twice), so only they can hold the total above the budget.
 * Count and age limits from {@link Retention} apply as well when set.
 */
public final class MemoryEventStore implements EventStore {
    private final ConcurrentHashMap<String, RunLog> runs = new ConcurrentHashMap<>();
    private final Retention retention;
    private final Sequencer sequencer;
    private final int capacity;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;
    private final AtomicLong bytes = new AtomicLong();
    /** Closed runs in the order they closed, so both budget and TTL take the oldest first. */
    private final ConcurrentLinkedQueue<RunLog> closedOrder = new ConcurrentLinkedQueue<>();
    /** Held to take from {@link #closedOrder} or trim for the budget; never while holding a log's monitor. */
    private final ReentrantLock evicting = new ReentrantLock();
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
        this.sequencer = new Sequencer(retention.idempotencyWindow());
        this.capacity = retention.limitsCount() ? retention.maxEventsPerRun() : EventRing.UNBOUNDED;
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
            List<Appended> result = null;
            while (result == null) {
                RunLog log = runs.computeIfAbsent(run, r -> new RunLog(r, capacity, bytes));
                synchronized (log) {
                    if (log.removed()) continue; // dropped meanwhile; the next loop creates it anew
                    boolean wasClosed = log.closed();
                    try {
                        result = log.append(drafts, sequencer, clock.instant(), listener);
                    } catch (RuntimeException refused) {
                        if (log.isEmpty()) remove(log); // a refused first batch leaves no run behind
                        throw refused;
                    }
                    if (!wasClosed && log.closed()) closedOrder.add(log);
                }
            }
            enforceBudget();
            return CompletableFuture.completedFuture(result);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public History read(String run, long after, int limit) {
        RunLog log = runs.get(run);
        if (log == null) return History.UNKNOWN;
        synchronized (log) {
            return log.removed() ? History.UNKNOWN : log.read(after, limit);
        }
    }

    @Override
    public Optional<RunInfo> info(String run) {
        RunLog log = runs.get(run);
        if (log == null) return Optional.empty();
        synchronized (log) {
            return log.removed() || log.isEmpty() ? Optional.empty() : Optional.of(log.info());
        }
    }

    @Override
    public List<RunInfo> list(int limit, boolean openOnly) {
        List<RunInfo> all = new ArrayList<>();
        for (RunLog log : runs.values()) {
            synchronized (log) {
                if (!log.removed() && !log.isEmpty() && (!openOnly || !log.closed())) all.add(log.info());
            }
        }
        all.sort(Comparator.comparing(RunInfo::createdAt).reversed().thenComparing(RunInfo::run));
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    @Override
    public String kind() {
        return "memory";
    }

    /** The estimated heap held by history, in bytes; within the budget except as the class says. */
    public long retainedBytes() {
        return bytes.get();
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
        evicting.lock();
        try {
            // closed runs expire in the order they closed: stop at the first one still inside its TTL
            for (RunLog log; (log = closedOrder.peek()) != null; closedOrder.poll()) {
                synchronized (log) {
                    if (!log.expired(now, retention.closedRunTtl())) break;
                    remove(log);
                }
            }
        } finally {
            evicting.unlock();
        }
        for (RunLog log : runs.values()) {
            synchronized (log) {
                if (log.removed()) continue;
                log.trimByAge(now, retention.maxEventAge());
                log.forgetKeys(now, retention.idempotencyWindow());
            }
        }
    }

    /** Brings the total back within the budget as the class describes; a no-op when it is. */
    private void enforceBudget() {
        long budget = retention.memoryBudgetBytes();
        if (bytes.get() <= budget) return;
        evicting.lock();
        try {
            long target = budget - budget / 16;
            while (bytes.get() > budget) {
                RunLog oldestClosed = closedOrder.poll();
                if (oldestClosed != null) {
                    synchronized (oldestClosed) {
                        remove(oldestClosed);
                    }
                    continue;
                }
                RunLog largest = largestRetaining();
                if (largest == null) return; // only run state and live keys are left
                synchronized (largest) {
                    if (!largest.removed()) largest.trimOldest(bytes.get() - target);
                }
            }
        } finally {
            evicting.unlock();
        }
    }

    /** The run whose retained events take the most bytes, or null when no run retains any. */
    private RunLog largestRetaining() {
        RunLog largest = null;
        for (RunLog log : runs.values()) {
            if (log.eventBytes() > 0 && (largest == null || log.eventBytes() > largest.eventBytes())) largest = log;
        }
        return largest;
    }

    /** Under the log's monitor. */
    private void remove(RunLog log) {
        log.drop();
        runs.remove(log.run, log);
    }
}
