package io.runcast.store.memory;

import io.runcast.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} events of a run with consecutive seqs, in a ring that grows on demand
 * up to its capacity and then overwrites the oldest. Not thread-safe.
 */
final class EventRing {
    /** The capacity of a ring without a count limit: the largest array a JVM reliably allocates. */
    static final int UNBOUNDED = Integer.MAX_VALUE - 8;

    private final int capacity;
    private Event[] slots;
    private int start;
    private int size;

    EventRing(int capacity) {
        this.capacity = capacity;
        this.slots = new Event[Math.min(capacity, 16)];
    }

    boolean isEmpty() {
        return size == 0;
    }

    Event first() {
        return slots[start];
    }

    /** Adds an event; at capacity the oldest is overwritten and returned, else null. */
    Event add(Event e) {
        if (size == capacity) {
            Event pushedOut = slots[start];
            slots[start] = e;
            start = (start + 1) % slots.length;
            return pushedOut;
        }
        if (size == slots.length) grow();
        slots[(start + size) % slots.length] = e;
        size++;
        return null;
    }

    /**
     * Removes and returns the oldest event. A ring a quarter full is halved, so a long run trimmed
     * down does not keep the array of its peak (grow at full, shrink at a quarter: no thrashing).
     */
    Event removeFirst() {
        Event e = slots[start];
        slots[start] = null;
        start = (start + 1) % slots.length;
        size--;
        if (slots.length > 16 && size < slots.length / 4) resize(slots.length / 2);
        return e;
    }

    /** The event with this seq, or null when it is not retained. */
    Event get(long seq) {
        if (size == 0) return null;
        long i = seq - slots[start].seq();
        return i < 0 || i >= size ? null : slots[(int) ((start + i) % slots.length)];
    }

    /** Up to {@code limit} events with seq greater than {@code after}. */
    List<Event> after(long after, int limit) {
        if (size == 0) return List.of();
        long firstSeq = slots[start].seq();
        long skip = Math.max(0, after + 1 - firstSeq);
        if (skip >= size) return List.of();
        int n = (int) Math.min(limit, size - skip);
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(slots[(int) ((start + skip + i) % slots.length)]);
        return out;
    }

    private void grow() {
        resize((int) Math.min(capacity, (long) slots.length * 2));
    }

    private void resize(int length) {
        Event[] moved = new Event[length];
        for (int i = 0; i < size; i++) moved[i] = slots[(start + i) % slots.length];
        slots = moved;
        start = 0;
    }
}
