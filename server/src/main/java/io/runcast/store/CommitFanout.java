package io.runcast.store;

import io.runcast.event.Event;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link CommitListener} a store is given when several parts of a server must hear of
 * commits: it tells each of them, in the order given, and keeps one failing listener from starving
 * the ones after it. The order is part of the wiring's contract (for example run control before the
 * hub, so that a decision a client sees is already known to the control that will take the answer).
 */
public final class CommitFanout implements CommitListener {
    private static final Logger log = LoggerFactory.getLogger(CommitFanout.class);

    private final List<CommitListener> listeners;

    public CommitFanout(List<CommitListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void committed(String run, List<Event> events) {
        for (CommitListener l : listeners) {
            try {
                l.committed(run, events);
            } catch (RuntimeException e) {
                log.warn("commit listener {} failed on run {}", l, run, e);
            }
        }
    }
}
