package io.runcast.store;

import io.runcast.event.Event;
import java.util.List;

/** Told by an {@link EventStore} about events once they are committed; see the store's contract. */
@FunctionalInterface
public interface CommitListener {
    /** Events of one run, consecutive and in seq order. Must not block. */
    void committed(String run, List<Event> events);

    CommitListener NONE = (run, events) -> {};
}
