package io.runcast.exec;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.agent.Agent;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One step of a {@link Plan}.
 *
 * @param id        unique within the plan; stamped on the step's events
 * @param agentName the agent's name, stamped on the step's events
 * @param agent     does the work
 * @param after     ids of the steps that must complete first
 * @param input     free-form input handed to the agent, or null
 * @param timeout   how long one attempt may take (including waits for humans); null for the executor's default
 * @param retry     the retry policy
 */
public record Step(String id, String agentName, Agent agent, List<String> after, JsonNode input, Duration timeout, Retry retry) {
    public Step {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agentName, "agentName");
        Objects.requireNonNull(agent, "agent");
        after = after == null ? List.of() : List.copyOf(after);
        retry = retry == null ? Retry.NONE : retry;
        if (id.isEmpty() || agentName.isEmpty()) throw new IllegalArgumentException("step id and agent name must not be empty");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) throw new IllegalArgumentException("timeout must be positive");
    }

    public static Step of(String id, String agentName, Agent agent, String... after) {
        return new Step(id, agentName, agent, List.of(after), null, null, Retry.NONE);
    }

    public Step withInput(JsonNode input) {
        return new Step(id, agentName, agent, after, input, timeout, retry);
    }

    public Step withTimeout(Duration timeout) {
        return new Step(id, agentName, agent, after, input, timeout, retry);
    }

    public Step withRetry(Retry retry) {
        return new Step(id, agentName, agent, after, input, timeout, retry);
    }
}
