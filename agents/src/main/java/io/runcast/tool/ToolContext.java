package io.runcast.tool;

/**
 * What a running tool sees of its call. Inside a run (through {@link ToolDispatcher}) it reflects the
 * run's cancellation and pause and the call's own timeout; {@link #standalone} is for calling a tool
 * directly, outside any run.
 *
 * <p>Methods may be called from the tool's thread only; {@link #checkpoint()} throws
 * {@link java.util.concurrent.CancellationException} once the run is cancelled or the call timed out:
 * let it propagate.
 */
public interface ToolContext {
    /** The id of this call, as the model gave it (it pairs {@code tool.call} with {@code tool.result}). */
    String call();

    /** Throws when the run is cancelled or this call is over; waits here while the run is paused. */
    void checkpoint() throws InterruptedException;

    /** True once the run was cancelled or this call timed out. */
    boolean cancelled();

    /** Closes the resource when the call is cancelled or times out (unblocks socket reads and the like). */
    void onCancel(AutoCloseable resource);

    /** A context for a direct call outside any run: only the thread's interruption stops it. */
    static ToolContext standalone(String call) {
        return new ToolContext() {
            @Override
            public String call() {
                return call;
            }

            @Override
            public void checkpoint() throws InterruptedException {
                if (Thread.interrupted()) throw new InterruptedException("tool call " + call + " interrupted");
            }

            @Override
            public boolean cancelled() {
                return Thread.currentThread().isInterrupted();
            }

            @Override
            public void onCancel(AutoCloseable resource) {
                // Nothing cancels a standalone call but interruption, which the caller owns.
            }
        };
    }
}
