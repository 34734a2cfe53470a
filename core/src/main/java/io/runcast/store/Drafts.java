package io.runcast.store;

import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/** Ids and epochs, and the event a draft becomes; the rules that decide when are in {@link Sequencer}. */
public final class Drafts {
    private Drafts() {}

    /** The event a draft becomes at a given seq and time. */
    public static Event toEvent(String run, long seq, EventDraft d, Instant time) {
        return new Event(run, seq, newId(), d.type(), time, d.step(), d.agent(), d.data());
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
