package io.runcast.transport.endpoint;

import io.netty.channel.ChannelHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The formats served beside the native protocol, asked in the order they were added. Thread-safe;
 * formats are added after the server starts (a request before then gets the native answer, a 404).
 */
public final class Endpoints {
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();

    public void add(Endpoint endpoint) {
        for (Endpoint e : endpoints) {
            if (e.name().equals(endpoint.name())) throw new IllegalStateException("an endpoint named " + e.name() + " is already installed");
        }
        endpoints.add(endpoint);
    }

    public List<Endpoint> list() {
        return List.copyOf(endpoints);
    }

    /** The first format's handler for this WebSocket, or null when no format serves its path. */
    public ChannelHandler webSocket(WsOpen open) {
        for (Endpoint e : endpoints) {
            ChannelHandler h = e.webSocket(open);
            if (h != null) return h;
        }
        return null;
    }

    /** Offers the request to each format in turn; true once one answered it. */
    public boolean http(HttpExchange exchange) {
        for (Endpoint e : endpoints) {
            if (e.http(exchange)) return true;
        }
        return false;
    }
}
