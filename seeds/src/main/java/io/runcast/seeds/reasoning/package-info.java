/**
 * Seed 002, the reasoning chat ({@code /ws/chat/{session_id}}): chat runs shown as reasoning steps.
 * {@link io.runcast.seeds.reasoning.ReasoningFormat} is the endpoint to install.
 */
package io.runcast.seeds.reasoning;
