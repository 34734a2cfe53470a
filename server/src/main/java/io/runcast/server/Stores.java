package io.runcast.server;

import io.runcast.config.RuncastConfig;
import io.runcast.store.EventStore;
import io.runcast.store.memory.MemoryEventStore;
import io.runcast.store.sqlite.SqliteEventStore;
import io.runcast.store.sqlite.SyncPolicy;

/** Opens the store a configuration names. */
public final class Stores {
    private Stores() {}

    public static EventStore open(RuncastConfig config) {
        return switch (config.store()) {
            case "memory" -> new MemoryEventStore(config.retention());
            case "sqlite" -> SqliteEventStore.open(config.dataDir(), config.retention(), SyncPolicy.parse(config.sync()));
            default -> throw new IllegalArgumentException("unknown store " + config.store()); // RuncastConfig refuses it first
        };
    }
}
