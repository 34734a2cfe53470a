package io.runcast.transport.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.runcast.protocol.ErrorCode;
import java.util.List;

/**
 * One HTTP request and the means to answer it, for an {@link Endpoint}'s routes. Answer exactly once,
 * from any thread; the answer keeps its place among pipelined requests and carries the same CORS and
 * caching headers as the rest of the API.
 */
public interface HttpExchange {
    HttpMethod method();

    /** The decoded path, e.g. {@code /api/sessions/w-1}. */
    String path();

    /** The path's segments after the leading slash, each decoded: {@code ["api", "sessions", "w-1"]}. */
    List<String> segments();

    /** A query parameter's first value, or null. */
    String query(String name);

    String header(String name);

    /** Who asked (for records such as {@code by}). */
    String remote();

    /**
     * The body as JSON.
     *
     * @throws io.runcast.protocol.RuncastException BAD_JSON when empty or not JSON, TOO_LARGE over the frame limit
     */
    JsonNode body();

    /** The body as JSON, or an empty object when there is none. */
    JsonNode bodyOrEmpty();

    /** Answers with a JSON body: a Jackson node, a record, a String of JSON, or its bytes. */
    void json(int status, Object body);

    /** Answers with raw bytes of a content type. */
    void send(int status, String contentType, byte[] bytes);

    /** Answers with the API's structured error shape. */
    void error(ErrorCode code, String message);

    /** Answers with the error a failure stands for ({@code RuncastException}s keep their code; others are internal). */
    void error(Throwable failure);

    /**
     * Answers with a Server-Sent Events stream of {@code run}, written by {@code view} (a new one for
     * this stream): every retained event from the start of the run, then live ones, until the run ends
     * or the client goes. A view that resumes does so by skipping what the client has; it sees the
     * events before, so it can rebuild state it derives from them. The stream is served like the
     * native {@code /stream}: heartbeat comments, the same backpressure, cut off when too slow.
     *
     * @throws UnsupportedOperationException where this exchange cannot stream
     */
    default void stream(String run, SseView view) {
        throw new UnsupportedOperationException("this exchange cannot stream");
    }
}
