package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.RawWsClient;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hundred clients resume a run with megabytes of history and then never read. Their replays must
 * wait for them without holding a thread: the HTTP API, publishing, and another client's full replay
 * and live events all complete while the hundred are still connected, still subscribed and not yet
 * cut off (the replay stall timeout is minutes here, so the order is the signal, not a stopwatch),
 * and the server has no more threads than before they came.
 */
class StalledReplayTest {
    static final int STALLED = 100;
    static final int HISTORY = 8000;
    static final String PAD = "x".repeat(900); // ~1 KB frames: 8 MB of history
    static final long OUTBOUND_LIMIT = 1 << 20;
    static final Duration GUARD = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void hundredStalledReplays_holdNoThread_whileTheApiPublishingAndAHealthyReplayAllComplete() throws Exception {
        // the replay stall timeout is the idle timeout: nothing in this test may cut the stalled clients off
        try (RuncastServer server = TestServer.start(b -> b.outboundLimitBytes(OUTBOUND_LIMIT).idleTimeout(Duration.ofMinutes(3)))) {
            int port = server.port();
            String run = "big";
            for (int i = 0; i < HISTORY; i += 500) {
                List<EventDraft> batch = new ArrayList<>();
                for (int j = 0; j < 500; j++) batch.add(EventDraft.of("log.line", Json.object().put("pad", PAD)));
                server.engine().publish(run, batch).toCompletableFuture().join();
            }
            warmUp(port);
            await().until(() -> server.services().connections().size() == 0);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            int threadsBefore = threads.getThreadCount();

            List<RawWsClient> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < STALLED; i++) {
                    RawWsClient c = RawWsClient.connect(port, 4096);
                    c.sendText("{\"op\":\"subscribe\",\"run\":\"" + run + "\",\"since\":1}"); // ...and never reads
                    stalled.add(c);
                }
                // every replay has started and filled its client's receive buffer (8 MB cannot fit)
                await().atMost(GUARD).until(() -> stalled.stream().allMatch(StalledReplayTest::hasUnreadBytes));
                await().atMost(GUARD).until(() -> server.services().hub().subscribers(run) == STALLED);
                int threadsStalled = threads.getThreadCount();
                System.out.printf("threads: %d before, %d with %d stalled replays%n", threadsBefore, threadsStalled, STALLED);
                assertThat(threadsStalled - threadsBefore).as("threads added for %d stalled clients", STALLED).isLessThan(16);

                assertThat(http("GET", port, "/api/health", null).body()).contains("\"ok\"");
                assertThat(Json.parse(http("GET", port, "/api/runs/" + run + "/events?after=7000&limit=10", null).body())
                        .path("events").get(0).path("seq").asLong()).isEqualTo(7001);
                assertThat(http("POST", port, "/api/runs/" + run + "/events", "{\"type\":\"log.line\"}").statusCode()).isEqualTo(200);
                server.engine().publish(run, EventDraft.of("log.line", null)).toCompletableFuture().join();
                long head = HISTORY + 2;
                try (WsTestClient healthy = WsTestClient.connect(port)) {
                    healthy.awaitOp("connected");
                    healthy.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}");
                    assertThat(healthy.awaitOp("subscribed").path("recovered").asBoolean()).isTrue();
                    for (long seq = 1; seq <= head; seq++) assertThat(nextEvent(healthy).path("seq").asLong()).isEqualTo(seq);
                    http("POST", port, "/api/runs/" + run + "/events", "{\"type\":\"answer.final\",\"data\":{\"text\":\"live\"}}");
                    JsonNode live = nextEvent(healthy);
                    assertThat(live.path("seq").asLong()).isEqualTo(head + 1);
                    assertThat(live.path("data").path("text").asText()).isEqualTo("live");

                    // all of that happened while the hundred were waiting: still connected, subscribed, not cut off
                    assertThat(server.services().hub().subscribers(run)).isEqualTo(STALLED + 1);
                    assertThat(server.services().connections().size()).isEqualTo(STALLED + 1);
                }
                assertThat(threads.getThreadCount() - threadsBefore).as("threads added for %d stalled clients", STALLED)
                        .isLessThan(16);
            } finally {
                for (RawWsClient c : stalled) c.close();
            }
        }
    }

    /** Starts every thread the server and the test clients keep (event loops, pools) before counting. */
    private static void warmUp(int port) throws Exception {
        int loops = Runtime.getRuntime().availableProcessors() * 2;
        for (int i = 0; i < loops; i++) {
            try (WsTestClient c = WsTestClient.connect(port)) {
                c.awaitOp("connected");
            }
        }
        for (int i = 0; i < loops + 8; i++) http("GET", port, "/api/health", null);
    }

    private static JsonNode nextEvent(WsTestClient c) {
        return c.await(n -> "event".equals(n.path("op").asText()), GUARD.toMillis());
    }

    private static boolean hasUnreadBytes(RawWsClient c) {
        try {
            return c.socket.getInputStream().available() > 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HttpResponse<String> http(String method, int port, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(GUARD)
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as("%s %s", method, path).isEqualTo(200);
        return res;
    }
}
