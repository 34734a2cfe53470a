/**
 * Agents: {@link io.runcast.agent.Agent} does one step's work and reports through its
 * {@link io.runcast.agent.AgentContext} (events, progress, timed tool calls, human decisions, pause and
 * cancel). {@code io.runcast.demo} holds the scripted demo run.
 */
package io.runcast.agent;
