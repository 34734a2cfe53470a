package io.runcast.store.memory;

import io.runcast.store.EventStore;
import io.runcast.store.EventStoreContract;
import io.runcast.store.Retention;
import io.runcast.store.TestClock;

class MemoryEventStoreTest extends EventStoreContract {
    @Override
    protected EventStore create(Retention retention, TestClock clock) {
        return new MemoryEventStore(retention, clock);
    }

    @Override
    protected void sweep(EventStore store) {
        ((MemoryEventStore) store).sweep();
    }
}
