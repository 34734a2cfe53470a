package io.runcast.control;

import io.runcast.engine.Engine;
import io.runcast.engine.Limits;
import io.runcast.event.Event;
import io.runcast.hub.Hub;
import io.runcast.hub.HubConfig;
import io.runcast.store.CommitFanout;
import io.runcast.store.History;
import io.runcast.store.Retention;
import io.runcast.store.memory.MemoryEventStore;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** An in-process Runcast (memory store, hub, engine, control) wired the way the server wires it. */
public final class Harness implements AutoCloseable {
    public final MemoryEventStore store;
    public final ExecutorService replay = Executors.newCachedThreadPool();
    public final Hub hub;
    public final Engine engine;
    public final ScheduledExecutorService timers;
    public final StreamControl control;

    /** On real time. */
    public Harness() {
        this(Executors.newScheduledThreadPool(1), Clock.systemUTC());
    }

    /**
     * On the given timers and clock (a {@link io.runcast.testing.ManualScheduler} and its clock, so a
     * test moves time itself); the store stamps events with the same clock the control measures with.
     */
    public Harness(ScheduledExecutorService timers, Clock clock) {
        this.store = new MemoryEventStore(Retention.DEFAULT, clock);
        this.timers = timers;
        this.hub = new Hub(store, replay, timers, HubConfig.DEFAULT);
        this.engine = new Engine(store, Limits.DEFAULT);
        this.control = new StreamControl(engine, timers, clock);
        store.listener(new CommitFanout(List.of(control, hub)));
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
