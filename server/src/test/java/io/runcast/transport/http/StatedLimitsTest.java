package io.runcast.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.engine.Limits;
import io.runcast.event.Json;
import io.runcast.protocol.ServerLimits;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import org.junit.jupiter.api.Test;

/** The server states its configured input limits, the same in /api/health and in the connected frame. */
class StatedLimitsTest {
    @Test
    void healthAndConnected_stateTheConfiguredLimits() {
        try (RuncastServer server = TestServer.start(b -> b.maxFrameBytes(8192).limits(new Limits(3000, 7, 40)));
             WsTestClient ws = WsTestClient.connect(server.port())) {
            JsonNode expected = Json.parse("{\"max_frame_bytes\":8192,\"max_batch\":7,\"max_event_bytes\":3000,\"max_name_length\":40}");
            JsonNode health = Json.parse(TestServer.get(server.port(), "/api/health").body());
            assertThat(health.path("limits")).isEqualTo(expected);
            assertThat(ws.awaitOp("connected").path("limits")).isEqualTo(expected);
        }
    }

    @Test
    void aDefaultServer_statesTheDefaultsClientsFallBackTo() {
        try (RuncastServer server = TestServer.start()) {
            JsonNode health = Json.parse(TestServer.get(server.port(), "/api/health").body());
            assertThat(ServerLimits.fromJson(health.path("limits"))).isEqualTo(ServerLimits.DEFAULTS);
        }
    }
}
