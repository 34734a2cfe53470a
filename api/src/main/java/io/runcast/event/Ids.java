package io.runcast.event;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Random ids for events, idempotency keys and epochs. Here, beside the event model, because both
 * sides need them: the server stamps events, and producers key their drafts before sending so that a
 * retried request is recognised.
 */
public final class Ids {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();

    private Ids() {}

    /** A random 128-bit id in 22 URL-safe characters; unique enough without SecureRandom's cost. */
    public static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return encode(r.nextLong(), r.nextLong());
    }

    /** A short random id (66 bits in 11 characters), e.g. an epoch. */
    public static String newShortId() {
        return encode(ThreadLocalRandom.current().nextLong(), 0).substring(0, 11);
    }

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
