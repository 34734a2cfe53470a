package io.runcast.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.event.RunStatus;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import io.runcast.store.Retention;
import io.runcast.store.RunInfo;
import io.runcast.store.memory.MemoryEventStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run feed: a stream named {@value #RUN} that reports the life of every run of the main store.
 * Feed it every committed event (it is the store's {@link CommitListener}, after the hub); subscribe
 * to it through {@link #hub()} like to any run.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Events.</b> {@value #OPENED} is the first event of every epoch. {@value #CREATED} comes once
 *       per run, for its first event, with the status after that event. {@value #STATUS} comes for every
 *       later lifecycle event ({@code run.*}) that changes the run's status; a run that failed because
 *       its producer vanished is {@code failed} with {@code reason: "abandoned"}. Both carry
 *       {@code {run, status, head, created, updated, reason?}}, where {@code head} is the seq of the
 *       event that caused them. {@value #PROGRESS} lists the runs whose head moved, at most once per
 *       {@link FeedConfig#progressInterval()}: {@code {runs: [{run, head, updated, progress?, step?, note?}]}}.</li>
 *   <li><b>Order.</b> For one run, feed events follow the order of the run's own events: its
 *       {@code runs.created} comes before any other feed event about it, and status changes come in seq
 *       order. A client that applies an update only when its {@code head} is not below what it shows
 *       never goes backwards.</li>
 *   <li><b>Threading.</b> {@link #committed} runs on committing threads, possibly under a run's lock:
 *       it never blocks, parses no JSON and appends nothing. It keeps references in a per-run
 *       {@link RunTracker} and queues lifecycle events on a lock-free queue; one feed thread turns them
 *       into feed events and appends them, so the feed's subscribers never slow a producer.</li>
 *   <li><b>Resuming.</b> The feed is an ordinary stream in its own bounded memory store: resume with
 *       {@code since}/{@code epoch}; {@code recovered:false} (new epoch after a restart, or trimmed) means
 *       "reload the run list". Read {@link #position()} before the list and subscribe from it.</li>
 *   <li><b>Memory.</b> {@link FeedConfig#retainedEvents()} feed events, and one tracker per open run,
 *       dropped at the run's terminal event.</li>
 * </ul>
 */
public final class RunFeed implements CommitListener, AutoCloseable {
    /** The feed's name: outside the run-id alphabet, so no producer can publish to it. */
    public static final String RUN = "$runs";
    public static final String OPENED = "runs.feed";
    public static final String CREATED = "runs.created";
    public static final String STATUS = "runs.status";
    public static final String PROGRESS = "runs.progress";

    private static final Logger log = LoggerFactory.getLogger(RunFeed.class);

    private final EventStore runs;
    private final FeedConfig config;
    private final MemoryEventStore store;
    private final Hub hub;
    private final ScheduledExecutorService thread;
    private final ConcurrentHashMap<String, RunTracker> trackers = new ConcurrentHashMap<>();
    private final Queue<Change> changes = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Feed thread only: runs whose head moved since the last progress summary. */
    private final Set<RunTracker> moved = new LinkedHashSet<>();
    private volatile boolean closed;

    /**
     * Opens the feed (a new epoch) and starts its thread.
     *
     * @param runs       the main store, asked for a run's creation time when the feed first hears of the
     *                   run in the middle of its life (e.g. after a restart)
     * @param replayPool where the feed's hub replays history to resuming subscribers
     * @param timers     the feed's hub's timers (its replay-stall deadlines)
     */
    public RunFeed(EventStore runs, ExecutorService replayPool, ScheduledExecutorService timers, FeedConfig config) {
        this.runs = runs;
        this.config = config;
        this.store = new MemoryEventStore(new Retention(config.retainedEvents(), Duration.ZERO, Duration.ZERO, Duration.ZERO));
        this.hub = new Hub(store, replayPool, timers, HubConfig.DEFAULT);
        store.listener(hub);
        ObjectNode opened = Json.object().put("retained", config.retainedEvents())
                .put("progress_interval_ms", config.progressInterval().toMillis());
        // first, so that the feed has an epoch before anyone reads its position
        store.append(RUN, List.of(draft(OPENED, opened))).toCompletableFuture().join();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "runcast-feed");
            t.setDaemon(true);
            return t;
        });
        long every = config.progressInterval().toMillis();
        thread.scheduleWithFixedDelay(this::summarise, every, every, TimeUnit.MILLISECONDS);
    }

    /** True for the feed's name. */
    public static boolean isFeed(String run) {
        return RUN.equals(run);
    }

    /** The hub that serves the feed's subscribers. */
    public Hub hub() {
        return hub;
    }

    /** The feed's epoch and head now. */
    public FeedPosition position() {
        RunInfo info = store.info(RUN).orElseThrow(() -> new IllegalStateException("the feed holds its opening event"));
        return new FeedPosition(RUN, info.epoch(), info.head());
    }

    /**
     * The latest progress entry of an open run, as last listed in {@value #PROGRESS} ({@code run, head,
     * updated, progress?, step?, note?}), or null when there is none. Any thread; do not modify it.
     */
    public JsonNode lastProgress(String run) {
        RunTracker t = trackers.get(run);
        return t == null ? null : t.lastEntry;
    }

    /** How many runs the feed keeps a tracker for: the open ones it has heard of (its memory bound). */
    int tracked() {
        return trackers.size();
    }

    @Override
    public void committed(String run, List<Event> events) {
        if (closed || events.isEmpty()) return;
        try {
            RunTracker t = trackers.computeIfAbsent(run, RunTracker::new);
            boolean lifecycle = false;
            for (Event e : events) {
                if (e.seq() == 1 || e.type().startsWith("run.")) {
                    changes.add(new Change(t, e));
                    lifecycle = true;
                }
            }
            // after the lifecycle changes: a run's creation is always drained before its first progress
            if (t.record(events)) changes.add(new Change(t, null));
            if (lifecycle && drainScheduled.compareAndSet(false, true)) thread.execute(drainTask);
        } catch (RejectedExecutionException e) {
            // closing: nobody is left to tell
        } catch (RuntimeException e) {
            log.warn("run feed: could not record committed events of run {}", run, e);
        }
    }

    /** Turns queued changes into feed events. Feed thread. */
    private void drain() {
        drainScheduled.set(false); // before polling: a change queued from now on schedules another drain
        try {
            List<EventDraft> drafts = new ArrayList<>();
            for (Change c; (c = changes.poll()) != null; ) {
                if (c.event() == null) moved.add(c.tracker());
                else announce(c.tracker(), c.event(), drafts);
            }
            append(drafts);
        } catch (RuntimeException e) {
            log.warn("run feed: could not announce run changes", e);
        }
    }

    private void announce(RunTracker t, Event e, List<EventDraft> out) {
        RunStatus now = RunStatus.RUNNING.after(e.type());
        if (e.seq() == 1) {
            t.created = e.time();
            t.status = now;
            out.add(draft(CREATED, summary(t, e)));
        } else if (now != t.status) {
            t.status = now;
            if (t.created == null) t.created = runs.info(t.run).map(RunInfo::createdAt).orElse(null);
            ObjectNode d = summary(t, e);
            JsonNode reason = e.dataNode().path("reason");
            if (reason.isTextual()) d.put("reason", reason.asText());
            out.add(draft(STATUS, d));
        }
        if (e.isTerminal()) {
            t.closed = true;
            trackers.remove(t.run, t);
        }
    }

    private static ObjectNode summary(RunTracker t, Event e) {
        ObjectNode d = Json.object().put("run", t.run).put("status", t.status.wire()).put("head", e.seq());
        if (t.created != null) d.put("created", t.created.toString());
        return d.put("updated", e.time().toString());
    }

    /** The periodic progress summary: one entry per run whose head moved. Feed thread. */
    private void summarise() {
        drain();
        try {
            List<ObjectNode> entries = new ArrayList<>();
            for (RunTracker t : moved) {
                ObjectNode p = t.closed ? null : t.progress();
                if (p != null) entries.add(p);
            }
            moved.clear();
            List<EventDraft> drafts = new ArrayList<>();
            for (int i = 0; i < entries.size(); i += config.runsPerProgress()) {
                ObjectNode d = Json.object();
                ArrayNode list = d.putArray("runs");
                entries.subList(i, Math.min(entries.size(), i + config.runsPerProgress())).forEach(list::add);
                drafts.add(draft(PROGRESS, d));
            }
            append(drafts);
        } catch (RuntimeException e) {
            log.warn("run feed: progress summary failed", e); // caught: an escaping exception would stop the timer
        }
    }

    private void append(List<EventDraft> drafts) {
        if (drafts.isEmpty()) return;
        store.append(RUN, drafts).whenComplete((done, err) -> {
            if (err != null && !closed) log.warn("run feed: append failed", err);
        });
    }

    private static EventDraft draft(String type, ObjectNode data) {
        return new EventDraft(type, null, null, Json.write(data), null);
    }

    @Override
    public void close() {
        closed = true;
        thread.shutdownNow();
        store.close();
    }

    /** A lifecycle (or first) event of a run, or — with no event — "the run's head moved". */
    private record Change(RunTracker tracker, Event event) {}
}
