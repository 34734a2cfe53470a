package io.runcast.agui;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads an SSE stream over a real socket with the JDK's HTTP client, message by message. */
final class SseReader implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One SSE message: its {@code id:} (null when it had none) and its {@code data:} as JSON. */
    record Message(String id, JsonNode data) {
        String type() {
            return data.path("type").asText();
        }
    }

    final HttpResponse<Stream<String>> response;
    private final Iterator<String> lines;

    private SseReader(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.lines = response.body().iterator();
    }

    static SseReader open(int port, String path, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream").GET();
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        return new SseReader(HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines()));
    }

    /** Messages until the server ends the stream. */
    List<Message> readToEnd() throws Exception {
        return readUntil(m -> false);
    }

    /** Messages until (and including) the first that {@code stop} accepts, or the end of the stream. */
    List<Message> readUntil(Predicate<Message> stop) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<Message> out = new ArrayList<>();
            String id = null;
            StringBuilder data = new StringBuilder();
            while (lines.hasNext()) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        Message m = new Message(id, Json.parse(data.toString()));
                        out.add(m);
                        if (stop.test(m)) return out;
                    }
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("id: ")) id = line.substring(4);
                else if (line.startsWith("data: ")) data.append(line.substring(6));
            }
            return out;
        }).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        response.body().close(); // drops the connection
    }
}
