package io.runcast.tool;

import io.runcast.agent.AgentContext;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link ToolContext} of one dispatched call: the run's cancellation and pause come from the agent's
 * context; the call's own end (timeout, or the agent thread giving up) comes from {@link #abort}, which
 * closes what the tool registered so a blocked read ends.
 */
final class CallScope implements ToolContext {
    private final String call;
    private final AgentContext agent;
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
    private volatile boolean over;

    CallScope(String call, AgentContext agent) {
        this.call = call;
        this.agent = agent;
    }

    @Override
    public String call() {
        return call;
    }

    @Override
    public void checkpoint() throws InterruptedException {
        if (over) throw new CancellationException("tool call " + call + " is over");
        agent.checkpoint();
        if (Thread.interrupted()) throw new InterruptedException("tool call " + call + " interrupted");
    }

    @Override
    public boolean cancelled() {
        return over || agent.cancelled();
    }

    @Override
    public void onCancel(AutoCloseable resource) {
        resources.add(resource);
        if (over) close(resource);
    }

    void abort() {
        over = true;
        for (AutoCloseable r : resources) close(r);
    }

    private static void close(AutoCloseable r) {
        try {
            r.close();
        } catch (Exception ignored) {
            // Closing is how a blocked tool is unblocked; a failure to close changes nothing for the call.
        }
    }
}
