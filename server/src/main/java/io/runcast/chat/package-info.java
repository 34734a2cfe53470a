/**
 * Chat runs as the server sees them: the {@link io.runcast.chat.ChatService} the transports call to
 * turn a person's message into a run, and the {@link io.runcast.chat.ChatDesk} it is installed in. The
 * agents that answer live in the agents module; this package knows nothing of them.
 */
package io.runcast.chat;
