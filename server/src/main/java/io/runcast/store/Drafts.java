package io.runcast.store;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Ids;
import java.time.Instant;

/** Ids and epochs, and the event a draft becomes; the rules that decide when are in {@link Sequencer}. */
public final class Drafts {
    private Drafts() {}

    /** The event a draft becomes at a given seq and time. */
    public static Event toEvent(String run, long seq, EventDraft d, Instant time) {
        return new Event(run, seq, newId(), d.type(), time, d.step(), d.agent(), d.data());
    }

    /** A new event id; see {@link Ids}. */
    public static String newId() {
        return Ids.newId();
    }

    /** A new epoch id. */
    public static String newEpoch() {
        return Ids.newShortId();
    }
}
