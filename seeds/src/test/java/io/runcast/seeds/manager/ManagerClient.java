package io.runcast.seeds.manager;

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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A client of {@code /api/chat/ws} for tests: every frame it received, in order, as JSON. */
final class ManagerClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final WebSocket ws;

    private ManagerClient(int port, String query) {
        ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + ManagerFormat.PATH + query), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            frames.add(Json.parse(partial.toString()));
                            partial.setLength(0);
                        }
                        w.request(1);
                        return null;
                    }
                }).join();
    }

    static ManagerClient connect(int port) {
        return new ManagerClient(port, "");
    }

    static ManagerClient connect(int port, String query) {
        return new ManagerClient(port, query);
    }

    void send(ObjectNode frame) {
        send(Json.write(frame));
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    JsonNode next() {
        try {
            JsonNode n = frames.poll(15, TimeUnit.SECONDS);
            if (n == null) throw new AssertionError("no frame within 15 s");
            return n;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Frames up to and including the first that matches. */
    List<JsonNode> until(Predicate<JsonNode> last) {
        List<JsonNode> out = new ArrayList<>();
        while (true) {
            JsonNode n = next();
            out.add(n);
            if (last.test(n)) return out;
        }
    }

    /** The first frame of a type, skipping others. */
    JsonNode await(String type) {
        List<JsonNode> seen = until(f -> f.path("type").asText().equals(type));
        return seen.get(seen.size() - 1);
    }

    /** Sends a ping and returns every frame that came before its pong. */
    List<JsonNode> flush() {
        send(Json.object().put("type", "ping"));
        List<JsonNode> out = until(f -> f.path("type").asText().equals("pong"));
        return out.subList(0, out.size() - 1);
    }

    static Predicate<JsonNode> change(String changeType) {
        return f -> f.path("type").asText().equals("workflow_state_change")
                && f.path("data").path("change_type").asText().equals(changeType);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
