/**
 * Seed 004, the agent fleet ({@code /api/ws/chat}, {@code /api/sessions}, {@code /api/conversations}):
 * one socket per chat message, the run streamed as the project's stream events.
 * {@link io.runcast.seeds.fleet.FleetFormat} is the endpoint to install.
 */
package io.runcast.seeds.fleet;
