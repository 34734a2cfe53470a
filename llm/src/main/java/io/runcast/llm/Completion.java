package io.runcast.llm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;

/**
 * A finished assistant turn.
 *
 * @param content          all content deltas joined; empty when there were none
 * @param reasoning        all reasoning deltas joined; empty when there were none
 * @param toolCalls        the calls the model asked for, in index order; empty when none
 * @param finishReason     {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}…; null if the
 *                         server ended with {@code [DONE]} without saying
 * @param usage            from the usage chunk, or null when the server sent none
 * @param timeToFirstToken from {@link LlmClient#stream} to the first token, retries included; null when no token came
 * @param attempts         how many requests it took (1 = no retry)
 */
public record Completion(String content, String reasoning, List<ToolCall> toolCalls, String finishReason, Usage usage,
                         Duration timeToFirstToken, int attempts) {
    public Completion {
        toolCalls = List.copyOf(toolCalls);
    }

    /** The turn as an assistant message, to append to the conversation for the next request. */
    public ObjectNode toMessage() {
        return Messages.assistant(content.isEmpty() && !toolCalls.isEmpty() ? null : content, toolCalls);
    }
}
