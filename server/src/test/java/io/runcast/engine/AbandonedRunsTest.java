package io.runcast.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.RunStatus;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class AbandonedRunsTest {
    static final Duration AFTER = Duration.ofMillis(1000);

    @Test
    void silentRun_isFailedAsAbandoned_andSubscribersAreToldItEnded() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.abandonAfter(AFTER));
             WsTestClient c = WsTestClient.connect(server.port())) {
            int port = server.port();
            c.awaitOp("connected");
            c.send("{\"op\":\"subscribe\",\"run\":\"gone\"}");
            c.awaitOp("subscribed");
            // A run that keeps talking, from before "gone" starts until "gone" is ended and it has itself
            // talked for well over the timeout: every one of its events must be accepted meanwhile.
            AtomicBoolean goneEnded = new AtomicBoolean();
            CompletableFuture<List<Integer>> chatty = CompletableFuture.supplyAsync(() -> {
                List<Integer> statuses = new ArrayList<>();
                long start = System.nanoTime();
                while (!goneEnded.get() || System.nanoTime() - start < AFTER.toNanos() * 3 / 2) {
                    statuses.add(TestServer.post(port, "/api/runs/chatty/events", "{\"type\":\"log.line\"}").statusCode());
                    pace(100);
                }
                return statuses;
            });
            await().until(() -> server.engine().info("chatty").isPresent());
            TestServer.post(port, "/api/runs/gone/events", "{\"type\":\"run.started\"}");
            JsonNode failed = c.await(n -> n.path("type").asText().equals("run.failed"), 10_000);
            goneEnded.set(true);
            assertThat(failed.path("data").path("reason").asText()).isEqualTo("abandoned");
            assertThat(c.awaitOp("end").path("seq").asLong()).isEqualTo(2);
            assertThat(server.engine().info("gone").orElseThrow().status()).isEqualTo(RunStatus.FAILED);

            assertThat(chatty.get()).as("chatty's appends while it talked").isNotEmpty().containsOnly(200);
            assertThat(server.engine().info("chatty").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            // Quiet now, chatty is ended too — by a later scan, which has also looked at "gone" again.
            await().atMost(Duration.ofSeconds(10)).until(() -> server.engine().info("chatty").orElseThrow().status() == RunStatus.FAILED);
            List<Event> chattyEvents = server.engine().read("chatty", 0, 1000).events();
            Event end = chattyEvents.get(chattyEvents.size() - 1);
            Event lastLine = chattyEvents.get(chattyEvents.size() - 2);
            assertThat(end.type()).isEqualTo(EventTypes.RUN_FAILED);
            assertThat(Duration.between(lastLine.time(), end.time())).as("ended only after being quiet for the timeout")
                    .isGreaterThanOrEqualTo(AFTER);
            // exactly one terminal event: the later scans did not add another
            assertThat(server.engine().info("gone").orElseThrow().head()).isEqualTo(2);
        }
    }

    @Test
    void zeroMeansNever() {
        try (RuncastServer server = TestServer.start(b -> b.abandonAfter(Duration.ZERO))) {
            int port = server.port();
            TestServer.post(port, "/api/runs/kept/events", "{\"type\":\"run.started\"}");
            // A witness: decision timeouts and abandoned-run scans share the server's one timer thread,
            // which runs tasks in due order; so once this 500 ms timeout has fired, any scan due in
            // between has run. A scan at "zero" would have failed every open run, the witness included.
            TestServer.post(port, "/api/runs/witness/events",
                    "{\"type\":\"decision.requested\",\"data\":{\"decision\":\"w\",\"timeout_seconds\":0.5}}");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.engine().info("witness").orElseThrow().head() > 1);
            Event second = server.engine().read("witness", 1, 1).events().get(0);
            assertThat(second.type()).as("the witness' timeout fired, its run untouched").isEqualTo(EventTypes.DECISION_RESOLVED);
            assertThat(second.dataNode().path("timed_out").asBoolean()).isTrue();
            assertThat(server.engine().info("kept").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(server.engine().info("kept").orElseThrow().head()).isEqualTo(1);
        }
    }

    /** Spaces chatty's appends; not a wait for anything. */
    private static void pace(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
