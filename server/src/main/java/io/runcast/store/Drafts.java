package io.runcast.store;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Ids;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** What every store does the same way when it turns drafts into events. */
public final class Drafts {
    private Drafts() {}

    /** Refuses a batch that is empty or has a terminal draft anywhere but last. */
    public static void checkBatch(String run, List<EventDraft> drafts) {
        if (drafts.isEmpty()) throw new RuncastException(ErrorCode.BAD_REQUEST, "no events to append");
        for (int i = 0; i < drafts.size() - 1; i++) {
            if (drafts.get(i).isTerminal()) {
                throw new RuncastException(ErrorCode.RUN_CLOSED,
                        "terminal event " + drafts.get(i).type() + " must be the last of run " + run);
            }
        }
    }

    public static RuncastException closed(String run) {
        return new RuncastException(ErrorCode.RUN_CLOSED, "run " + run + " has ended; no more events are accepted");
    }

    /** The event a draft becomes at a given seq and time. */
    public static Event toEvent(String run, long seq, EventDraft d, Instant time) {
        return new Event(run, seq, newId(), d.type(), time, d.step(), d.agent(), d.data());
    }

    /** Millisecond precision: what the wire carries, so stored and live events compare equal. */
    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
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
