package io.runcast.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.RunStatus;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AbandonedRunsTest {
    @Test
    void silentRun_isFailedAsAbandoned_andSubscribersAreToldItEnded() {
        try (RuncastServer server = TestServer.start(b -> b.abandonAfter(Duration.ofMillis(1000)));
             WsTestClient c = WsTestClient.connect(server.port())) {
            int port = server.port();
            c.awaitOp("connected");
            c.send("{\"op\":\"subscribe\",\"run\":\"gone\"}");
            c.awaitOp("subscribed");
            TestServer.post(port, "/api/runs/gone/events", "{\"type\":\"run.started\"}");
            // a run that keeps talking is left alone meanwhile
            long until = System.currentTimeMillis() + 2500;
            while (System.currentTimeMillis() < until) {
                TestServer.post(port, "/api/runs/chatty/events", "{\"type\":\"log.line\"}");
                sleep(100);
            }
            JsonNode failed = c.await(n -> n.path("type").asText().equals("run.failed"), 5000);
            assertThat(failed.path("data").path("reason").asText()).isEqualTo("abandoned");
            assertThat(c.awaitOp("end").path("seq").asLong()).isEqualTo(2);
            assertThat(server.engine().info("gone").orElseThrow().status()).isEqualTo(RunStatus.FAILED);
            assertThat(server.engine().info("chatty").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            // exactly one terminal event: later scans do not add another
            sleep(1500);
            assertThat(server.engine().info("gone").orElseThrow().head()).isEqualTo(2);
            await().until(() -> server.engine().info("chatty").orElseThrow().status() == RunStatus.FAILED);
        }
    }

    @Test
    void zeroMeansNever() {
        try (RuncastServer server = TestServer.start(b -> b.abandonAfter(Duration.ZERO))) {
            TestServer.post(server.port(), "/api/runs/kept/events", "{\"type\":\"run.started\"}");
            sleep(500);
            assertThat(server.engine().info("kept").orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
