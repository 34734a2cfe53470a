package io.runcast.llm;

/**
 * Receives a streaming completion as it happens. Every method has an empty default, so a listener implements only
 * what it uses; {@link #NONE} ignores everything.
 *
 * <p>Threading and order: the calls for one {@link LlmCall} never overlap, and arrive in stream order on the
 * thread reading that stream (a {@link #onRetry} comes from the thread that saw the failure). Retry notices only
 * come before the first delta, since the client never retries once something has streamed. A callback should be
 * quick: while it runs the stream is not read, and the idle timeout keeps counting. No callback starts after the
 * call's future has completed, though one already under way may finish after it.
 *
 * <p>Errors: if a callback throws, the stream is aborted, the connection closed, and the call's future completes
 * exceptionally with what it threw.
 */
public interface LlmListener {
    LlmListener NONE = new LlmListener() {};

    /** A piece of the answer's text. Never empty. */
    default void onContent(String delta) {}

    /** A piece of the model's reasoning ({@code delta.reasoning_content} or {@code delta.reasoning}). Never empty. */
    default void onReasoning(String delta) {}

    /**
     * The model started tool call {@code index}; its arguments follow in later chunks and arrive whole in the
     * {@link Completion}.
     */
    default void onToolCallStart(int index, String id, String name) {}

    /** An attempt failed before anything streamed and will be retried after {@link RetryNotice#delay()}. */
    default void onRetry(RetryNotice notice) {}
}
