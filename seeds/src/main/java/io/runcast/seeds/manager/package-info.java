/**
 * Seed 003, the manager workflow: {@code /api/chat/ws} and {@code /api/chat/sessions}
 * ({@link io.runcast.seeds.manager.ManagerFormat}). Sessions are conversations of chat runs
 * ({@code ManagerSessions}); the mapping of Runcast's events to 003 frames is the table in
 * {@code ManagerFrames}; {@code ManagerSocket} is one connection, {@code io.runcast.seeds.common.TurnWatchers} tells the
 * watchers of a session about its new turns, {@code SessionRoutes} is the REST API.
 */
package io.runcast.seeds.manager;
