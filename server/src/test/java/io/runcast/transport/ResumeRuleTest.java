package io.runcast.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.store.Retention;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resume rule over real WebSocket and SSE connections, on a run whose retained history starts
 * late (the memory store keeps 50 events per run; 200 were published, so history starts at 151).
 * {@code since: N} means "I have everything up to N": when N+1 is gone the answer is
 * {@code recovered:false} with {@code first}, and delivery starts there. Only an absent {@code since}
 * means "whatever is retained".
 */
class ResumeRuleTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static RuncastServer server;
    static int port;
    static String epoch;

    @BeforeAll
    static void start() {
        server = TestServer.start(b -> b.retention(new Retention(50, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1))));
        port = server.port();
        List<EventDraft> drafts = new ArrayList<>();
        for (int i = 0; i < 200; i++) drafts.add(EventDraft.of("log.line", null));
        server.engine().publish("late", drafts).toCompletableFuture().join();
        epoch = server.engine().info("late").orElseThrow().epoch();
        List<EventDraft> ended = new ArrayList<>();
        for (int i = 0; i < 199; i++) ended.add(EventDraft.of("log.line", null));
        ended.add(EventDraft.of("run.completed", null));
        server.engine().publish("ended", ended).toCompletableFuture().join();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Subscribes over WebSocket; returns the subscribed frame and the seq of the first event after it. */
    private static JsonNode[] subscribe(String fields) {
        try (WsTestClient c = WsTestClient.connect(port)) {
            c.awaitOp("connected");
            c.send("{\"op\":\"subscribe\",\"run\":\"late\"" + fields + "}");
            JsonNode subscribed = c.awaitOp("subscribed");
            return new JsonNode[] {subscribed, c.awaitOp("event")};
        }
    }

    @Test
    void ws_sinceZero_onTrimmedHistory_isNotRecovered_andStartsAtFirst() {
        JsonNode[] r = subscribe(",\"since\":0");
        assertThat(r[0].path("recovered").asBoolean()).isFalse();
        assertThat(r[0].path("first").asLong()).isEqualTo(151);
        assertThat(r[1].path("seq").asLong()).isEqualTo(151);
    }

    @Test
    void ws_absentSince_isWhateverIsRetained_recovered() {
        JsonNode[] r = subscribe("");
        assertThat(r[0].path("recovered").asBoolean()).isTrue();
        assertThat(r[1].path("seq").asLong()).isEqualTo(151);
    }

    @Test
    void ws_sinceN_recoveredExactlyWhenNPlusOneIsRetained() {
        JsonNode[] covered = subscribe(",\"since\":150,\"epoch\":\"" + epoch + "\"");
        assertThat(covered[0].path("recovered").asBoolean()).isTrue();
        assertThat(covered[1].path("seq").asLong()).isEqualTo(151);
        JsonNode[] trimmed = subscribe(",\"since\":149,\"epoch\":\"" + epoch + "\"");
        assertThat(trimmed[0].path("recovered").asBoolean()).isFalse();
        assertThat(trimmed[1].path("seq").asLong()).isEqualTo(151);
    }

    @Test
    void ws_otherEpoch_orClientAhead_isNotRecovered_andStartsAtFirst() {
        JsonNode[] other = subscribe(",\"since\":180,\"epoch\":\"not-" + epoch + "\"");
        assertThat(other[0].path("recovered").asBoolean()).isFalse();
        assertThat(other[1].path("seq").asLong()).isEqualTo(151);
        JsonNode[] ahead = subscribe(",\"since\":500");
        assertThat(ahead[0].path("recovered").asBoolean()).isFalse();
        assertThat(ahead[1].path("seq").asLong()).isEqualTo(151);
    }

    @Test
    void sse_lastEventIdZero_andSinceZero_areNotRecovered_andStartAtFirst() throws Exception {
        for (String[] ask : new String[][] {{"/api/runs/late/stream", "0"}, {"/api/runs/late/stream?since=0", null}}) {
            List<String[]> msgs = sse(ask[0], ask[1], 2);
            assertThat(msgs.get(0)[1]).isEqualTo("subscribed");
            JsonNode subscribed = Json.parse(msgs.get(0)[2]);
            assertThat(subscribed.path("recovered").asBoolean()).as(String.join(" ", ask[0], String.valueOf(ask[1]))).isFalse();
            assertThat(subscribed.path("first").asLong()).isEqualTo(151);
            assertThat(msgs.get(1)[0]).isEqualTo("151");
        }
        List<String[]> absent = sse("/api/runs/late/stream", null, 2);
        assertThat(Json.parse(absent.get(0)[2]).path("recovered").asBoolean()).isTrue();
        assertThat(absent.get(1)[0]).isEqualTo("151");
    }

    @Test
    void sse_endedRun_204OnlyForAClientThatHasItsEnd_aClientAheadGetsTheStream() throws Exception {
        HttpResponse<Stream<String>> done = open("/api/runs/ended/stream", "200");
        assertThat(done.statusCode()).isEqualTo(204);
        List<String[]> ahead = sse("/api/runs/ended/stream", "900", 2);
        assertThat(Json.parse(ahead.get(0)[2]).path("recovered").asBoolean()).isFalse();
        assertThat(ahead.get(1)[0]).isEqualTo("151");
    }

    private static HttpResponse<Stream<String>> open(String path, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(java.time.Duration.ofSeconds(10)).GET();
        if (lastEventId != null) b.header("Last-Event-ID", lastEventId);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** The first {@code count} SSE messages as {id, event, data}; closes the stream. */
    private static List<String[]> sse(String path, String lastEventId, int count) throws Exception {
        HttpResponse<Stream<String>> res = open(path, lastEventId);
        assertThat(res.statusCode()).isEqualTo(200);
        try (Stream<String> body = res.body()) {
            return CompletableFuture.supplyAsync(() -> {
                List<String[]> out = new ArrayList<>();
                String id = null, event = null, data = null;
                Iterator<String> lines = body.iterator();
                while (out.size() < count && lines.hasNext()) {
                    String line = lines.next();
                    if (line.isEmpty()) {
                        if (data != null) out.add(new String[] {id, event, data});
                        id = event = data = null;
                    } else if (line.startsWith("id: ")) id = line.substring(4);
                    else if (line.startsWith("event: ")) event = line.substring(7);
                    else if (line.startsWith("data: ")) data = line.substring(6);
                }
                return out;
            }).get(20, TimeUnit.SECONDS);
        }
    }
}
