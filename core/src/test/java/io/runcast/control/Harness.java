package io.runcast.control;

import io.runcast.engine.Engine;
import io.runcast.engine.Limits;
import io.runcast.event.Event;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.store.History;
import io.runcast.store.memory.MemoryEventStore;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** An in-process Runcast (memory store, hub, engine, control) wired the way the server wires it. */
public final class Harness implements AutoCloseable {
    public final MemoryEventStore store = new MemoryEventStore();
    public final ExecutorService replay = Executors.newCachedThreadPool();
    public final ScheduledExecutorService timers = Executors.newScheduledThreadPool(1);
    public final Hub hub = new Hub(store, replay, timers, HubConfig.DEFAULT);
    public final Engine engine = new Engine(store, hub, Limits.DEFAULT);
    public final StreamControl control = new StreamControl(engine, timers);

    public Harness() {
        store.listener((run, events) -> {
            control.committed(run, events);
            hub.committed(run, events);
        });
    }

    public List<Event> events(String run) {
        History h = store.read(run, 0, 100_000);
        return h.events();
    }

    public List<String> types(String run) {
        return events(run).stream().map(Event::type).toList();
    }

    @Override
    public void close() {
        timers.shutdownNow();
        replay.shutdownNow();
        store.close();
    }
}
