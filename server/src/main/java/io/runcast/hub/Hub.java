package io.runcast.hub;

import io.runcast.event.Event;
import io.runcast.event.TypeFilter;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.store.CommitListener;
import io.runcast.store.EventStore;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-run subscriber sets. Committed events are encoded once and handed to every live subscription
 * of their run; a new subscription replays the history it missed and then goes live with no gap and
 * no duplicate at the hand-over, however fast producers append meanwhile.
 *
 * <p>The hand-over works like this: the subscription is registered first (so every event committed
 * from then on is parked in its pending list), then history is read from the store — which by the
 * store's contract already holds every event the hub was told of — and finally, under the topic's
 * monitor, the pending events newer than the last replayed one are passed and the subscription goes
 * live. Seq comparison drops the overlap.
 */
public final class Hub implements CommitListener {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final EventStore store;
    private final ExecutorService replayExecutor;
    private final HubConfig config;
    private final Map<String, Topic> topics = new ConcurrentHashMap<>();

    public Hub(EventStore store, ExecutorService replayExecutor, HubConfig config) {
        this.store = store;
        this.replayExecutor = replayExecutor;
        this.config = config;
    }

    /**
     * Subscribes a sink to a run. Returns at once; the sink hears {@code subscribed}, then the missed
     * events, then live ones.
     *
     * @param since the last seq the client has, or null for the whole retained history
     * @param epoch the epoch {@code since} refers to, or null when the client does not know it
     * @param tag   anything the transport wants back on the subscription
     */
    public Subscription subscribe(String run, Long since, String epoch, TypeFilter filter, Sink sink, Object tag) {
        Subscription sub = new Subscription(this, run, filter, sink, tag);
        while (true) {
            Topic topic = topics.computeIfAbsent(run, Topic::new);
            synchronized (topic) {
                if (topic.dead) continue;
                topic.subs.add(sub);
                break;
            }
        }
        replayExecutor.execute(() -> replay(sub, since, epoch));
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
        if (s.state == Subscription.State.CATCHING_UP) {
            if (s.pendingBytes + e.frame().length > config.maxPending()) {
                s.sink().tooSlow("more than " + config.maxPending() + " bytes of events arrived during the history replay");
                return true;
            }
            s.pending.add(e);
            s.pendingBytes += e.frame().length;
            return false;
        }
        if (e.seq() > s.lastSeq + 1) fillGap(s, e.seq() - 1);
        return s.pass(e);
    }

    /**
     * A live subscription saw a seq jump (possible with stores whose notifications travel separately
     * from their writes, e.g. Redis pub/sub): fetch the missing events from the store.
     */
    private void fillGap(Subscription s, long upTo) {
        History h = store.read(s.run(), s.lastSeq, (int) Math.min(Integer.MAX_VALUE, upTo - s.lastSeq));
        for (Event e : h.events()) {
            if (e.seq() > upTo) break;
            s.pass(EncodedEvent.of(e));
        }
    }

    private void replay(Subscription sub, Long since, String epoch) {
        try {
            Optional<RunInfo> info = store.info(sub.run());
            String currentEpoch = info.map(RunInfo::epoch).orElse(null);
            long head = info.map(RunInfo::head).orElse(0L);
            long first = info.map(RunInfo::first).orElse(1L);
            long from = since == null ? 0 : since;
            boolean recovered;
            if (since == null || since == 0) {
                recovered = true;
            } else if (currentEpoch == null) {
                recovered = false; // the client knows events of a run this server has never seen (or lost)
                from = 0;
            } else if (epoch != null && !epoch.equals(currentEpoch)) {
                recovered = false; // a different stream: send the current one from its start
                from = 0;
            } else if (since > head) {
                recovered = false; // the client is ahead of the store: its history was lost
                from = 0;
            } else {
                recovered = since + 1 >= first;
            }
            sub.lastSeq = from;
            sub.sink().subscribed(sub, new Subscribed(sub.run(), currentEpoch, head, first, recovered));
            if (info.isPresent() && info.get().closed() && from >= head) {
                // the client already has the terminal event: nothing will ever come, so say it ended
                sub.sink().end(sub, head);
                remove(sub);
                return;
            }
            if (!replayHistory(sub)) return;
            goLive(sub);
        } catch (RuncastException e) {
            sub.sink().failed(sub, e);
            remove(sub);
        } catch (RuntimeException e) {
            log.warn("replay of run {} failed", sub.run(), e);
            sub.sink().failed(sub, new RuncastException(ErrorCode.INTERNAL, "history replay failed"));
            remove(sub);
        }
    }

    /** Returns false when the subscription ended during the replay. */
    private boolean replayHistory(Subscription sub) {
        while (!sub.isDone()) {
            History page = store.read(sub.run(), sub.lastSeq, config.replayPage());
            for (Event e : page.events()) {
                if (sub.isDone()) return false;
                if (sub.pass(EncodedEvent.of(e))) {
                    remove(sub);
                    return false;
                }
            }
            if (page.events().size() < config.replayPage()) return !sub.isDone();
            if (!awaitWritable(sub)) {
                if (sub.isDone()) return false; // cancelled, or already cut off meanwhile
                sub.sink().tooSlow("the client did not read its history replay within " + config.replayStall());
                remove(sub);
                return false;
            }
        }
        return false;
    }

    private boolean awaitWritable(Subscription sub) {
        long deadline = System.nanoTime() + config.replayStall().toNanos();
        while (!sub.sink().writable()) {
            if (sub.isDone() || System.nanoTime() > deadline) return false;
            try {
                TimeUnit.MILLISECONDS.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private void goLive(Subscription sub) {
        Topic topic = topics.get(sub.run());
        if (topic == null) return;
        synchronized (topic) {
            if (sub.state != Subscription.State.CATCHING_UP) return;
            List<EncodedEvent> parked = new ArrayList<>(sub.pending);
            sub.pending.clear();
            sub.pendingBytes = 0;
            sub.state = Subscription.State.LIVE;
            for (EncodedEvent e : parked) {
                if (e.seq() > sub.lastSeq + 1) fillGap(sub, e.seq() - 1);
                if (sub.pass(e)) {
                    finish(topic, sub);
                    return;
                }
            }
        }
    }

    private void finish(Topic topic, Subscription s) {
        s.state = Subscription.State.DONE;
        s.pending.clear();
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
