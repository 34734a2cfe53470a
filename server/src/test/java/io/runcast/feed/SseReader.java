package io.runcast.feed;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An SSE stream read on a background thread; each message lands in a queue. */
final class SseReader implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One message: {@code id} and {@code event} may be null; {@code data} is parsed. */
    record Message(String id, String event, JsonNode data) {}

    final int status;
    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final InputStream body;

    SseReader(int port, String path, String lastEventId) throws Exception {
        // the timeout bounds the wait for the answer's headers, so a stream that never opens fails the test
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).GET();
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        status = res.statusCode();
        body = res.body();
        Thread t = new Thread(this::read, "sse-reader");
        t.setDaemon(true);
        t.start();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null, event = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data.length() > 0) messages.add(new Message(id, event, Json.parse(data.toString())));
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id: ")) id = line.substring(4);
                else if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ")) data.append(line.substring(6));
            }
        } catch (Exception e) {
            // closed by the test
        }
    }

    Message next(Duration timeout) throws InterruptedException {
        Message m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) throw new AssertionError("no SSE message within " + timeout);
        return m;
    }

    @Override
    public void close() throws Exception {
        body.close();
    }
}
