package io.runcast.llm.agent;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link LlmAgent} runs a turn.
 *
 * @param maxIterations      model calls per answer in the full pipeline; the last one is made without tools,
 *                           so the loop always ends with an answer
 * @param lightIterations    the same in the light pipeline
 * @param lightToolCalls     tool calls a light turn may make in all; further calls are refused to the model
 * @param systemPrompt       the system message; the analysis of the full pipeline is appended to it
 * @param approvalTimeout    how long a tool that needs approval waits for a person before it is denied
 * @param toolTimeout        how long one tool call may run
 */
public record LlmAgentConfig(int maxIterations, int lightIterations, int lightToolCalls, String systemPrompt,
                             Duration approvalTimeout, Duration toolTimeout) {
    public static final String DEFAULT_SYSTEM_PROMPT = """
            You are a helpful assistant inside Runcast, answering a person who watches your reasoning and tool \
            calls live. Use a tool whenever it gives a better answer than memory (arithmetic, the current time, \
            reading a page, notes). Answer directly and concisely; use Markdown sparingly.""";
    public static final LlmAgentConfig DEFAULT = new LlmAgentConfig(8, 2, 2, DEFAULT_SYSTEM_PROMPT,
            Duration.ofMinutes(2), Duration.ofSeconds(30));

    public LlmAgentConfig {
        if (maxIterations < 1 || lightIterations < 1) throw new IllegalArgumentException("iterations must be >= 1");
        if (lightToolCalls < 0) throw new IllegalArgumentException("lightToolCalls must be >= 0");
        Objects.requireNonNull(systemPrompt, "systemPrompt");
        Objects.requireNonNull(approvalTimeout, "approvalTimeout");
        Objects.requireNonNull(toolTimeout, "toolTimeout");
    }

    public LlmAgentConfig withMaxIterations(int n) {
        return new LlmAgentConfig(n, lightIterations, lightToolCalls, systemPrompt, approvalTimeout, toolTimeout);
    }

    public LlmAgentConfig withApprovalTimeout(Duration d) {
        return new LlmAgentConfig(maxIterations, lightIterations, lightToolCalls, systemPrompt, d, toolTimeout);
    }
}
