package io.runcast.store.memory;

import io.runcast.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * The newest {@code capacity} events of a run with consecutive seqs, in a ring that grows on demand
 * up to its capacity and then overwrites the oldest. Not thread-safe.
 */
final class EventRing {
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

    void add(Event e) {
        if (size == capacity) {
            slots[start] = e;
            start = (start + 1) % slots.length;
            return;
        }
        if (size == slots.length) grow();
        slots[(start + size) % slots.length] = e;
        size++;
    }

    void removeFirst() {
        slots[start] = null;
        start = (start + 1) % slots.length;
        size--;
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
        Event[] bigger = new Event[(int) Math.min(capacity, (long) slots.length * 2)];
        for (int i = 0; i < size; i++) bigger[i] = slots[(start + i) % slots.length];
        slots = bigger;
        start = 0;
    }
}
