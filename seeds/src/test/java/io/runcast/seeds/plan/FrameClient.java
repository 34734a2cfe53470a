package io.runcast.seeds.plan;

import com.fasterxml.jackson.databind.JsonNode;
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

/** A JSON WebSocket client on any path, for the seed formats' tests: every frame lands parsed in a queue. */
public final class FrameClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private FrameClient(String url) {
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(url), new Listener()).join();
    }

    /** Connects to {@code ws://127.0.0.1:port} + {@code pathAndQuery}. */
    public static FrameClient connect(int port, String pathAndQuery) {
        return new FrameClient("ws://127.0.0.1:" + port + pathAndQuery);
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    public void send(Object message) {
        send(Json.write(message));
    }

    /** The next frame; fails after the timeout. */
    public JsonNode next(long timeoutMs) {
        try {
            JsonNode n = frames.poll(timeoutMs, TimeUnit.MILLISECONDS);
            if (n == null) throw new AssertionError("no frame within " + timeoutMs + " ms");
            return n;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public JsonNode next() {
        return next(5000);
    }

    /** The next frame that matches, skipping the others; fails after the timeout. */
    public JsonNode await(Predicate<JsonNode> p, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) throw new AssertionError("no matching frame within " + timeoutMs + " ms");
            JsonNode n = next(left);
            if (p.test(n)) return n;
        }
    }

    /** Every frame up to and including the first that matches, in order. */
    public List<JsonNode> until(Predicate<JsonNode> last, long timeoutMs) {
        List<JsonNode> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) throw new AssertionError("no closing frame within " + timeoutMs + " ms; saw " + seen);
            JsonNode n = next(left);
            seen.add(n);
            if (last.test(n)) return seen;
        }
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
