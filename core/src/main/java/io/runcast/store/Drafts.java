package io.runcast.store;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    /** A random 128-bit id in 22 URL-safe characters; unique enough without SecureRandom's cost. */
    public static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return encode(r.nextLong(), r.nextLong());
    }

    /** A short random epoch id. */
    public static String newEpoch() {
        return encode(ThreadLocalRandom.current().nextLong(), 0).substring(0, 11);
    }

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private static String encode(long a, long b) {
        char[] out = new char[22];
        for (int i = 0; i < 11; i++) {
            out[i] = ALPHABET[(int) (a & 63)];
            a >>>= 6;
            out[11 + i] = ALPHABET[(int) (b & 63)];
            b >>>= 6;
        }
        return new String(out);
    }
}
