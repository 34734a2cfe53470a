package io.runcast.store.memory;

import io.runcast.event.Event;

/**
 * Estimates of the heap the memory store holds, in bytes, for a 64-bit HotSpot JVM with compressed
 * references (12-byte object headers, 4-byte references, 8-byte alignment). The estimates err high:
 * every string is charged at two bytes per char (UTF-16; with compact strings a Latin-1 string
 * really takes one), and strings that may be shared (an event's type, its time) are charged to each
 * holder. A budget enforced against them is therefore a real upper bound on what history takes.
 */
final class Footprint {
    private Footprint() {}

    /** A String object (header, array reference, hash, coder) and its backing array. */
    static long of(String s) {
        return s == null ? 0 : 24 + align(16 + 2L * s.length());
    }

    /**
     * One retained event: the record (header, a long and seven references = 48), its Instant (24),
     * its ring slot (4 bytes, times four: the ring may be up to four times its size before it
     * shrinks) and its own strings. The run id is
     * not charged: every event of a run shares the run's one id string, charged to the run.
     */
    static long of(Event e) {
        return 48 + 24 + 16 + of(e.id()) + of(e.type()) + of(e.step()) + of(e.agent()) + of(e.data());
    }

    /**
     * One remembered idempotency key: the linked hash map entry (40) and its table slot (8), the
     * {@link RunLog} key record (32), the key, and the id, type and time it keeps — these are charged
     * again here because they outlive the event when it is trimmed inside the window.
     */
    static long ofKey(String key, String id, String type) {
        return 40 + 8 + 32 + of(key) + of(id) + of(type) + 24;
    }

    /**
     * A run's fixed cost: its map entry, its log, ring and key map, epoch, state and times. Charged
     * from the moment the run exists until it is dropped.
     */
    static long ofRun(String run) {
        return 384 + of(run);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }
}
