package io.runcast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runcast.engine.Limits;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.protocol.ServerLimits;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Java client keeps the limits of its connected frame and refuses a publish that breaks them, locally. */
class ClientLimitsTest {
    private RuncastServer server;
    private RuncastClient client;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(b -> b.maxFrameBytes(8192).limits(new Limits(3000, 7, 40)));
        client = RuncastClient.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"), ClientReconnectTest.FAST, null);
        assertThat(client.awaitOpen(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private static EventDraft sized(int dataLength) {
        String pad = "p".repeat(dataLength - "{\"p\":\"\"}".length());
        return EventDraft.of("x.sized", Json.object().put("p", pad));
    }

    private static void refusedLocally(java.util.concurrent.CompletableFuture<?> f, ErrorCode code, String mentions) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(RuncastException.class).hasMessageContaining(mentions)
                .satisfies(e -> assertThat(((RuncastException) e).code()).isEqualTo(code));
    }

    @Test
    void limits_areTheOnesOfTheConnectedFrame() {
        assertThat(client.limits()).isEqualTo(new ServerLimits(8192, 7, 3000, 40));
    }

    @Test
    void publishOverAnyLimit_isRefusedLocally_andTheConnectionGoesOn() throws Exception {
        String connection = client.connectionId();
        EventDraft small = sized(100);
        refusedLocally(client.publish("cl-1", IntStream.range(0, 8).mapToObj(i -> small).toArray(EventDraft[]::new)),
                ErrorCode.TOO_LARGE, "(max_batch)");
        refusedLocally(client.publish("cl-1", small, sized(3001)), ErrorCode.TOO_LARGE, "(max_event_bytes)");
        refusedLocally(client.publish("cl-1", sized(2900), sized(2900), sized(2900)), ErrorCode.TOO_LARGE, "(max_frame_bytes)");
        refusedLocally(client.publish("cl-1", new EventDraft("x.named", "s".repeat(41), null, "{}", null)),
                ErrorCode.BAD_REQUEST, "step must be 1..40");

        // At every limit it goes through, on the same connection; nothing refused above was appended.
        var accepted = client.publish("cl-1", IntStream.range(0, 7).mapToObj(i -> i == 0 ? sized(3000) : small)
                .toArray(EventDraft[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(accepted).extracting(Accepted::seq).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(client.connectionId()).isEqualTo(connection);
    }
}
