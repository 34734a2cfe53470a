/**
 * The plan executor: {@link io.runcast.exec.PlanExecutor} runs a {@link io.runcast.exec.Plan} of
 * {@link io.runcast.exec.Step}s (each done by an {@link io.runcast.agent.Agent}) and streams its whole
 * lifecycle with exactly one terminal event, retries, timeouts, pause, cancellation, human decisions,
 * telemetry, and isolated server-side {@link io.runcast.exec.EventHandlers}. See docs/agents.md.
 */
package io.runcast.exec;
