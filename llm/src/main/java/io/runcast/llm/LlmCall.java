package io.runcast.llm;

import java.util.concurrent.CompletableFuture;

/** A streaming completion under way, from {@link LlmClient#stream}. */
public interface LlmCall {

    /**
     * The outcome: the {@link Completion}, or exceptionally an {@link LlmException} (or what a listener callback
     * threw). It completes on the thread that decided the outcome: the reading thread, the client's timer thread
     * for timeouts, or the caller of {@link #cancel()}; chain with the {@code *Async} methods for heavy work.
     * Cancelling this future cancels the call, but it then completes with a {@code CancellationException}
     * rather than {@link LlmException.Kind#CANCELLED}: prefer {@link #cancel()}.
     */
    CompletableFuture<Completion> result();

    /**
     * Stops the call at once, whatever it is doing: the HTTP connection is closed (the server sees its TCP
     * connection end, which is how OpenAI-compatible servers learn to stop generating), a retry wait is dropped,
     * and {@link #result()} completes with {@link LlmException.Kind#CANCELLED}. Does nothing if the call has already
     * finished. Safe from any thread, including a listener callback.
     */
    void cancel();
}
