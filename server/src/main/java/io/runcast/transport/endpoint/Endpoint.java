package io.runcast.transport.endpoint;

import io.netty.channel.ChannelHandler;

/**
 * A wire format served beside the native protocol — a seed application's, an agent UI's — as a view
 * of the same runs: its WebSocket paths and its HTTP routes. Installed into the server's
 * {@link Endpoints} after start (formats live in their own modules and know the server; the server
 * does not know them). Implementations are thread-safe.
 */
public interface Endpoint {
    /** A short name ({@code "seed-001"}): the transport shown for its connections and in a run's watchers. */
    String name();

    /**
     * The handler for a WebSocket opened on a path of this format, or null when the path is not one of
     * its own. Called on the connection's event loop during the handshake; the returned handler takes
     * the place of the HTTP handler and receives whole {@link io.netty.handler.codec.http.websocketx.WebSocketFrame}s
     * (continuations aggregated) from then on — frames the client sent right behind the upgrade
     * included. It owns the connection: liveness, its own close codes, registration with the server's connections.
     */
    default ChannelHandler webSocket(WsOpen open) {
        return null;
    }

    /**
     * Answers the request and returns true when it is one of this format's HTTP routes; returns false,
     * answering nothing, otherwise. Runs on the blocking pool (it may read the store), never on an
     * event loop. Only paths under {@code /api/} are offered.
     */
    default boolean http(HttpExchange exchange) {
        return false;
    }
}
