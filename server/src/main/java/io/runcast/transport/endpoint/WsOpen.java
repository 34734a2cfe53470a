package io.runcast.transport.endpoint;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * A WebSocket being opened on a path other than the native {@code /ws}.
 *
 * @param path         the request path, e.g. {@code /ws/chat/s-1}
 * @param uri          the path with its query ({@code ?plan_id=…})
 * @param headers      the upgrade request's headers
 * @param connectionId an id for the connection, unique in this server
 */
public record WsOpen(String path, QueryStringDecoder uri, HttpHeaders headers, String connectionId) {
    /** A query parameter's first value, or null. */
    public String query(String name) {
        var v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }
}
