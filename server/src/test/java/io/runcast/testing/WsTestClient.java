package io.runcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A bare native-protocol client for tests: every received frame lands parsed in a queue. */
public final class WsTestClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private WsTestClient(int port) {
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new Listener()).join();
    }

    public static WsTestClient connect(int port) {
        return new WsTestClient(port);
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void send(ObjectNode msg) {
        send(Json.write(msg));
    }

    /** The next frame, skipping server pings. Fails after the timeout. */
    public JsonNode next(long timeoutMs) {
        try {
            while (true) {
                JsonNode n = frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
                if (n == null) throw new AssertionError("no frame within " + timeoutMs + " ms");
                if (!"ping".equals(n.path("op").asText())) return n;
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public JsonNode next() {
        return next(5000);
    }

    /** Skips frames until one matches. */
    public JsonNode await(Predicate<JsonNode> p, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) throw new AssertionError("no matching frame within " + timeoutMs + " ms");
            JsonNode n = next(left);
            if (p.test(n)) return n;
        }
    }

    public JsonNode awaitOp(String op) {
        return await(n -> op.equals(n.path("op").asText()), 5000);
    }

    /** Frames received so far that are events of a run. */
    public List<JsonNode> drainEvents() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode n; (n = frames.poll()) != null; ) if ("event".equals(n.path("op").asText())) out.add(n);
        return out;
    }

    public void abort() {
        ws.abort();
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(Json.parse(partial.toString()));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
