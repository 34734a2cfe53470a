package io.runcast.server;

import io.runcast.config.RuncastConfig;
import io.runcast.store.EventStore;
import io.runcast.store.memory.MemoryEventStore;

/** Opens the store a configuration names. */
public final class Stores {
    private Stores() {}

    public static EventStore open(RuncastConfig config) {
        return switch (config.store()) {
            case "memory" -> new MemoryEventStore(config.retention());
            default -> new MemoryEventStore(config.retention()); // replaced by SQLite when the durable store lands
        };
    }
}
