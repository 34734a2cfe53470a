package io.runcast.seeds.common;

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
 * Which connections watch which conversation (a seed's session), and the news that it has a new turn.
 * A turn is a new run ({@code S.n}, see {@link #conversationOf}), so this follows the run feed's
 * {@code runs.created}: whichever way a turn was started (a seed's own request, the native {@code chat}
 * op, {@code POST /api/chats}, a producer publishing {@code S.n} itself), each watcher of its
 * conversation hears of it and can subscribe from its first event. Thread-safe.
 */
public final class TurnWatchers implements Sink {
    /** A connection that wants to hear of new turns; called on a hub thread, so hand work to the connection's loop. */
    public interface Watcher {
        void newTurn(String conversation, String run);
    }

    private static final TypeFilter CREATED = TypeFilter.of(List.of(RunFeed.CREATED));

    private final RunFeed feed;
    private final Map<String, Set<Watcher>> bySession = new ConcurrentHashMap<>();
    private volatile Subscription subscription;
    private volatile boolean closed;

    public TurnWatchers(RunFeed feed) {
        this.feed = feed;
        follow();
    }

    /** Registers a watcher; call before looking for the session's current turn, so no new turn falls between. */
    public void watch(String session, Watcher socket) {
        bySession.computeIfAbsent(session, s -> ConcurrentHashMap.newKeySet()).add(socket);
    }

    public void unwatch(String session, Watcher socket) {
        bySession.computeIfPresent(session, (s, set) -> {
            set.remove(socket);
            return set.isEmpty() ? null : set;
        });
    }

    /** Stops following the feed (the format is being removed). */
    public void close() {
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
        String session = conversationOf(run);
        if (session.equals(run)) return; // not a turn
        Set<Watcher> watchers = bySession.get(session);
        if (watchers != null) watchers.forEach(w -> w.newTurn(session, run));
    }

    /** The conversation of a turn's run id ({@code S.n} → {@code S}); the id itself when it is not a turn. */
    public static String conversationOf(String run) {
        int dot = run.lastIndexOf('.');
        if (dot <= 0 || dot == run.length() - 1) return run;
        for (int i = dot + 1; i < run.length(); i++) {
            if (!Character.isDigit(run.charAt(i))) return run;
        }
        return run.substring(0, dot);
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
