package io.runcast.hub;

import io.runcast.event.Event;
import io.runcast.event.TypeFilter;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-run subscriber sets. Committed events are encoded once and handed to every live subscription
 * of their run; a new subscription replays the history it missed and then goes live with no gap and
 * no duplicate at the hand-over, however fast producers append meanwhile.
 *
 * <p>The hand-over works like this: the subscription is registered first (so every event committed
 * from then on is parked in its pending list), then its {@link CatchUp} reads history from the store
 * — which by the store's contract already holds every event the hub was told of — and finally, under
 * the topic's monitor, either takes the parked events to pass them too, or, when none are parked,
 * turns the subscription live. Seq comparison drops the overlap.
 *
 * <p>Threading: {@link #committed} runs on whichever thread commits and never touches the store;
 * every store read happens in a catch-up step on the replay executor, outside the topic's monitor.
 * A replay waits for a slow connection through the sink's demand callback and a timer, so the
 * number of threads does not depend on the number of slow clients.
 */
public final class Hub implements CommitListener {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final EventStore store;
    private final ExecutorService replayExecutor;
    private final ScheduledExecutorService timers;
    private final HubConfig config;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    /**
     * @param replayExecutor runs catch-up steps (store reads; they never wait for a client)
     * @param timers         runs the replay stall timers
     */
    public Hub(EventStore store, ExecutorService replayExecutor, ScheduledExecutorService timers, HubConfig config) {
        this.store = store;
        this.replayExecutor = replayExecutor;
        this.timers = timers;
        this.config = config;
    }

    /**
     * Subscribes a sink to a run. Returns at once; the sink hears {@code subscribed}, then the missed
     * events, then live ones. Where delivery starts is the resume rule of {@link ResumePoint}.
     *
     * @param since the last seq the client has, or null when it has none (whatever is retained)
     * @param epoch the epoch {@code since} refers to, or null when the client does not know it
     * @param filter which types to deliver ({@link TypeFilter#ALL} for every type); never null
     * @param tag   anything the transport wants back on the subscription
     * @throws NullPointerException for a null filter or sink, at once: accepted, it would fail each commit
     *                              of the run while the hub fans it out, and so every subscriber of the run
     */
    public Subscription subscribe(String run, Long since, String epoch, TypeFilter filter, Sink sink, Object tag) {
        java.util.Objects.requireNonNull(filter, "filter (TypeFilter.ALL for every type)");
        java.util.Objects.requireNonNull(sink, "sink");
        Subscription sub = new Subscription(this, run, filter, sink, tag);
        while (true) {
            Topic topic = topics.computeIfAbsent(run, Topic::new);
            synchronized (topic) {
                if (topic.dead) continue;
                topic.subs.add(sub);
                break;
            }
        }
        sub.catchUp.begin(since, epoch);
        return sub;
    }

    /** Number of subscriptions on a run (live or catching up). */
    public int subscribers(String run) {
        Topic t = topics.get(run);
        if (t == null) return 0;
        synchronized (t) {
            return t.subs.size();
        }
    }

    /** Number of subscriptions on all runs. */
    public int subscriptions() {
        int n = 0;
        for (Topic t : topics.values()) {
            synchronized (t) {
                n += t.subs.size();
            }
        }
        return n;
    }

    @Override
    public void committed(String run, List<Event> events) {
        Topic topic = topics.get(run);
        if (topic == null) return;
        synchronized (topic) {
            if (topic.subs.isEmpty()) return;
            for (Event e : events) {
                EncodedEvent encoded = EncodedEvent.of(e);
                for (int i = 0; i < topic.subs.size(); i++) {
                    Subscription s = topic.subs.get(i);
                    if (offer(s, encoded)) {
                        finish(topic, s);
                        i--;
                    }
                }
            }
        }
    }

    /** Returns true when the subscription is finished (terminal passed or too slow). Topic monitor held. */
    private boolean offer(Subscription s, EncodedEvent e) {
        if (s.state == Subscription.State.LIVE) {
            if (e.seq() <= s.lastSeq + 1) return s.pass(e);
            // a hole: possible with stores whose notifications travel apart from their writes (Redis
            // pub/sub). The store read that fills it must not run here, on the committing thread.
            s.state = Subscription.State.CATCHING_UP;
            if (park(s, e)) return true;
            s.catchUp.fillHoleBefore(e.seq());
            return false;
        }
        return park(s, e);
    }

    private boolean park(Subscription s, EncodedEvent e) {
        if (s.pendingBytes + e.frame().length > config.maxPending()) {
            s.sink().tooSlow("more than " + config.maxPending() + " bytes of events arrived while it caught up");
            return true;
        }
        s.pending.add(e);
        s.pendingBytes += e.frame().length;
        return false;
    }

    /**
     * Called by a catch-up that found nothing newer in the store. Returns the live events parked
     * meanwhile (which it passes next), or null when none were parked and the subscription is now
     * live — or when it finished meanwhile.
     */
    List<EncodedEvent> handOver(Subscription sub) {
        Topic topic = topics.get(sub.run());
        if (topic == null) return null;
        synchronized (topic) {
            if (sub.state != Subscription.State.CATCHING_UP) return null;
            if (sub.pending.isEmpty()) {
                sub.state = Subscription.State.LIVE;
                return null;
            }
            List<EncodedEvent> parked = new ArrayList<>(sub.pending);
            sub.pending.clear();
            sub.pendingBytes = 0;
            return parked;
        }
    }

    /** A catch-up step failed (the store, most likely): tell the sink and drop the subscription. */
    void failed(Subscription sub, RuntimeException e) {
        RuncastException error;
        if (e instanceof RuncastException re) {
            error = re;
        } else {
            log.warn("replay of run {} failed", sub.run(), e);
            error = new RuncastException(ErrorCode.INTERNAL, "history replay failed");
        }
        sub.sink().failed(sub, error);
        remove(sub);
    }

    private void finish(Topic topic, Subscription s) {
        s.state = Subscription.State.DONE;
        s.pending.clear();
        s.pendingBytes = 0;
        topic.subs.remove(s);
        if (topic.subs.isEmpty()) {
            topic.dead = true;
            topics.remove(topic.run, topic);
        }
    }

    void remove(Subscription s) {
        Topic topic = topics.get(s.run());
        if (topic == null) {
            s.state = Subscription.State.DONE;
            return;
        }
        synchronized (topic) {
            if (topic.subs.contains(s)) finish(topic, s);
            else s.state = Subscription.State.DONE;
        }
    }

    EventStore store() {
        return store;
    }

    HubConfig config() {
        return config;
    }

    ExecutorService replayExecutor() {
        return replayExecutor;
    }

    ScheduledExecutorService timers() {
        return timers;
    }

    /** The subscriptions of one run; guarded by its own monitor. */
    private static final class Topic {
        final String run;
        final List<Subscription> subs = new ArrayList<>();
        boolean dead;

        Topic(String run) {
            this.run = run;
        }
    }
}
