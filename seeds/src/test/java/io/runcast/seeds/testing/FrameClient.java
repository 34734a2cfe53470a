package io.runcast.seeds.testing;

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

/**
 * A JSON WebSocket client for a seed format's path: every text frame lands parsed in a queue (a frame
 * that is not JSON lands as {@code {"unparsed": text}}). Frames whose {@code type} is in {@code skipped}
 * (heartbeats) are passed over by {@link #next}.
 */
public final class FrameClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;
    private final List<String> skipped;

    private FrameClient(int port, String pathAndQuery, List<String> skipped) {
        this.skipped = skipped;
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), new Listener()).join();
    }

    /** Connects to {@code pathAndQuery}; {@link #next} skips frames of the {@code skipped} types. */
    public static FrameClient connect(int port, String pathAndQuery, String... skipped) {
        return new FrameClient(port, pathAndQuery, List.of(skipped));
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    /** Sends a frame: a Jackson node or anything Jackson writes as the JSON object wanted. */
    public void send(Object msg) {
        send(Json.write(msg));
    }

    /** The next frame that is not a skipped type. Fails after the timeout. */
    public JsonNode next(long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (true) {
                JsonNode n = frames.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (n == null) throw new AssertionError("no frame within " + timeoutMs + " ms");
                if (!skipped.contains(n.path("type").asText())) return n;
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public JsonNode next() {
        return next(10_000);
    }

    /** Skips frames until one matches (including skipped types). */
    public JsonNode await(Predicate<JsonNode> p, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try {
            while (true) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) throw new AssertionError("no matching frame within " + timeoutMs + " ms");
                JsonNode n = frames.poll(left, TimeUnit.MILLISECONDS);
                if (n != null && p.test(n)) return n;
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public JsonNode awaitType(String type) {
        return await(n -> type.equals(n.path("type").asText()), 10_000);
    }

    /** Frames up to and including the first of {@code type}, skipped types left out. */
    public List<JsonNode> until(String type) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode n = next(15_000);
            out.add(n);
            if (type.equals(n.path("type").asText())) return out;
        }
    }

    /** Every frame up to and including the first that matches, in order (skipped types left out). */
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

    /** Closes with 1000, as a client that is done does. */
    public void closeNormally() {
        ws.sendClose(1000, "bye").join();
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
                String text = partial.toString();
                partial.setLength(0);
                JsonNode n;
                try {
                    n = Json.parse(text);
                } catch (IllegalArgumentException e) {
                    n = Json.object().put("unparsed", text);
                }
                frames.add(n);
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
