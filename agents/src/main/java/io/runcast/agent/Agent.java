package io.runcast.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Does the work of one plan step. The executor streams the step's lifecycle around it
 * ({@code step.started}, {@code step.completed}/{@code step.failed}, retries, timeouts); the agent only
 * reports what is interesting inside the step through its {@link AgentContext}.
 *
 * <p>Contract: {@link #run} is called on an executor thread, once per attempt. Return the step's result
 * (any JSON, or null). Throw to fail the attempt; the executor retries it if the step's retry policy
 * allows. When the run is cancelled or the step times out the thread is interrupted and context calls
 * throw {@link java.util.concurrent.CancellationException}: let it propagate. Blocking calls that do not
 * react to interruption (a classic socket read) should register the resource with
 * {@link AgentContext#onCancel} so that cancelling closes it.
 */
@FunctionalInterface
public interface Agent {
    JsonNode run(AgentContext ctx) throws Exception;
}
