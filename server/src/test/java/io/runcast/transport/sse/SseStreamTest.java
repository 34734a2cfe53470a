package io.runcast.transport.sse;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SseStreamTest {
    static RuncastServer server;
    static int port;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One parsed SSE message. */
    record Message(String id, String event, String data) {
        JsonNode json() {
            return Json.parse(data);
        }
    }

    @BeforeAll
    static void start() {
        server = TestServer.start();
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<Stream<String>> open(String path, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(java.time.Duration.ofSeconds(10)).GET();
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** Reads messages until the stream ends (or {@code max} messages). */
    private static List<Message> read(HttpResponse<Stream<String>> res, int max) throws Exception {
        return read(res, max, m -> { });
    }

    /** The same, handing each message to {@code seen} as it arrives (on the reading thread). */
    private static List<Message> read(HttpResponse<Stream<String>> res, int max, Consumer<Message> seen) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            List<Message> out = new ArrayList<>();
            String id = null, event = null;
            StringBuilder data = new StringBuilder();
            Iterator<String> lines = res.body().iterator();
            while (lines.hasNext() && out.size() < max) {
                String line = lines.next();
                if (line.isEmpty()) {
                    if (data.length() > 0 || event != null) {
                        out.add(new Message(id, event, data.toString()));
                        seen.accept(out.get(out.size() - 1));
                    }
                    id = null;
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("id: ")) id = line.substring(4);
                else if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ")) data.append(line.substring(6));
            }
            return out;
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void stream_deliversHistoryThenLive_withSeqIds_andEnds() throws Exception {
        post(port, "/api/runs/sse-1/events", "[{\"type\":\"run.started\"},{\"type\":\"agent.thinking\",\"data\":{\"content\":\"hm\"}}]");
        var res = open("/api/runs/sse-1/stream", null);
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
        // the rest is published once the history has arrived, so it can only come live
        List<Message> msgs = read(res, 100, m -> {
            if ("2".equals(m.id())) {
                post(port, "/api/runs/sse-1/events", "[{\"type\":\"answer.final\",\"data\":{\"text\":\"42\"}},{\"type\":\"run.completed\"}]");
            }
        });
        assertThat(msgs.get(0).event()).isEqualTo("subscribed");
        assertThat(msgs.get(0).json().path("recovered").asBoolean()).isTrue();
        List<Message> events = msgs.stream().filter(m -> m.event() == null).toList();
        assertThat(events).extracting(Message::id).containsExactly("1", "2", "3", "4");
        assertThat(events.get(2).json().path("data").path("text").asText()).isEqualTo("42");
        assertThat(events.get(3).json().path("type").asText()).isEqualTo("run.completed");
        Message end = msgs.get(msgs.size() - 1);
        assertThat(end.event()).isEqualTo("end");
        assertThat(end.json().path("seq").asLong()).isEqualTo(4);
    }

    @Test
    void reconnectWithLastEventId_resumesAfterIt_andEndedStreamAnswers204() throws Exception {
        post(port, "/api/runs/sse-2/events", "[{\"type\":\"run.started\"},{\"type\":\"log.line\"},{\"type\":\"log.line\"},{\"type\":\"run.failed\",\"data\":{\"reason\":\"x\"}}]");
        List<Message> msgs = read(open("/api/runs/sse-2/stream", "2"), 100);
        assertThat(msgs.stream().filter(m -> m.event() == null).map(Message::id).toList()).containsExactly("3", "4");
        assertThat(msgs.get(msgs.size() - 1).event()).isEqualTo("end");
        // EventSource would reconnect after the close with Last-Event-ID 4: told to stop
        assertThat(open("/api/runs/sse-2/stream", "4").statusCode()).isEqualTo(204);
    }

    @Test
    void typesFilter_andBadInput() throws Exception {
        post(port, "/api/runs/sse-3/events", "[{\"type\":\"run.started\"},{\"type\":\"tool.call\"},{\"type\":\"log.line\"},{\"type\":\"run.completed\"}]");
        List<Message> msgs = read(open("/api/runs/sse-3/stream?types=tool.*", null), 100);
        assertThat(msgs.stream().filter(m -> m.event() == null).map(Message::id).toList()).containsExactly("2", "4");
        var bad = open("/api/runs/sse-3/stream", "abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(String.join("", bad.body().toList())).contains("bad_request");
        assertThat(open("/api/runs/bad%20run/stream", null).statusCode()).isEqualTo(400);
    }

    @Test
    void openStream_isListedAsSseClient_andGoneWhenClosed() throws Exception {
        var res = open("/api/runs/sse-4/stream", null);
        var iterator = res.body().iterator();
        assertThat(iterator.next()).startsWith("retry:");
        JsonNode clients = Json.parse(TestServer.get(port, "/api/clients").body()).path("clients");
        assertThat(clients.findValuesAsText("transport")).contains("sse");
        res.body().close();
        org.awaitility.Awaitility.await().until(() ->
                !Json.parse(TestServer.get(port, "/api/clients").body()).path("clients").findValuesAsText("transport").contains("sse"));
    }
}
