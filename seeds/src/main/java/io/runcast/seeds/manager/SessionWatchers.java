package io.runcast.seeds.manager;

import io.runcast.event.TypeFilter;
import io.runcast.feed.FeedPosition;
import io.runcast.feed.RunFeed;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Sink;
import io.runcast.hub.Subscribed;
import io.runcast.hub.Subscription;
import io.runcast.protocol.RuncastException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which connections watch which session, and the news that a session has a new turn. A turn is a new
 * run ({@code S.n}), so this follows the run feed's {@code runs.created}: whichever way a turn was
 * started (the REST call, the native {@code chat} op, another node sharing the store), each watcher of
 * its session subscribes to it from its first event. Thread-safe.
 */
final class SessionWatchers implements Sink {
    private static final TypeFilter CREATED = TypeFilter.of(List.of(RunFeed.CREATED));

    private final RunFeed feed;
    private final Map<String, Set<ManagerSocket>> bySession = new ConcurrentHashMap<>();
    private volatile Subscription subscription;
    private volatile boolean closed;

    SessionWatchers(RunFeed feed) {
        this.feed = feed;
        follow();
    }

    /** Registers a watcher; call before looking for the session's current turn, so no new turn falls between. */
    void watch(String session, ManagerSocket socket) {
        bySession.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet()).add(socket);
    }

    void unwatch(String session, ManagerSocket socket) {
        bySession.computeIfPresent(session, (s, set) -> {
            set.remove(socket);
            return set.isEmpty() ? null : set;
        });
    }

    /** Stops following the feed (the format is being removed). */
    void close() {
        closed = true;
        Subscription s = subscription;
        if (s != null) s.cancel();
    }

    private void follow() {
        if (closed) return;
        FeedPosition at = feed.position();
        subscription = feed.hub().subscribe(RunFeed.RUN, at.head(), at.epoch(), CREATED, this, null);
    }

    @Override
    public void event(Subscription s, EncodedEvent e) {
        String run = e.event().dataNode().path("run").asText("");
        String session = ManagerFrames.sessionOf(run);
        if (session.equals(run)) return; // not a turn
        Set<ManagerSocket> watchers = bySession.get(session);
        if (watchers != null) watchers.forEach(w -> w.follow(session, run));
    }

    @Override
    public void subscribed(Subscription s, Subscribed info) {
    }

    /** The feed never ends; a failure (a store error while catching up) is followed again from now. */
    @Override
    public void end(Subscription s, long seq) {
        follow();
    }

    @Override
    public void failed(Subscription s, RuncastException error) {
        follow();
    }

    @Override
    public boolean ready(Runnable onReady) {
        return true; // in-process: nothing to drain
    }

    @Override
    public void tooSlow(String why) {
        subscription.cancel();
        follow();
    }
}
