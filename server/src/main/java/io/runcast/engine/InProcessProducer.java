package io.runcast.engine;

import io.runcast.producer.RunHandle;
import io.runcast.producer.RunProducer;
import io.runcast.producer.SinkHandle;

/**
 * Produces into the embedded engine. Each emit is one {@link Engine#publish} call, so the call order
 * on a thread is the append order; no batching is needed in-process.
 */
public final class InProcessProducer implements RunProducer {
    private final Engine engine;

    public InProcessProducer(Engine engine) {
        this.engine = engine;
    }

    @Override
    public RunHandle attach(String run) {
        engine.checkRun(run);
        return new SinkHandle(run, null, null, draft -> engine.publish(run, draft).thenApply(a -> a.event().seq()));
    }

    @Override
    public void close() {
        // Nothing to release: appends are acknowledged by the engine as they are made.
    }
}
