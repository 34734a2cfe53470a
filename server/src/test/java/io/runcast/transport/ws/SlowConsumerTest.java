package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.store.Retention;
import io.runcast.testing.RawWsClient;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading is cut off with close code 4000 while a normal subscriber of the
 * same run gets every event, and the server's heap does not grow with what the stalled client
 * failed to read.
 */
class SlowConsumerTest {
    static final int EVENTS = 3000;
    static final int EVENT_BYTES = 16 * 1024;
    static final long OUTBOUND_LIMIT = 512 * 1024;

    @Test
    void stalledSubscriber_isCutOff_othersGetEverything_memoryBounded() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.outboundLimitBytes(OUTBOUND_LIMIT)
                .retention(new Retention(50, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1))))) {
            int port = server.port();
            String run = "slow";
            long heapBefore = usedHeapAfterGc();

            RawWsClient stalled = RawWsClient.connect(port, 16 * 1024);
            stalled.sendText("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}"); // ...and never reads
            try (WsTestClient fast = WsTestClient.connect(port)) {
                fast.awaitOp("connected");
                fast.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}");
                fast.awaitOp("subscribed");
                await().until(() -> server.services().hub().subscribers(run) == 2);

                String pad = "x".repeat(EVENT_BYTES);
                List<Long> latenciesMicros = new ArrayList<>();
                long received = 0;
                for (int i = 0; i < EVENTS; i++) {
                    var data = Json.object().put("pad", pad).put("sent", System.nanoTime());
                    server.engine().publish(run, EventDraft.of("log.line", data)).toCompletableFuture().join();
                    // the healthy client keeps up: at most 16 events (256 KB) in flight to it
                    while (i + 1 - received > 16) {
                        var n = fast.awaitOp("event");
                        received++;
                        latenciesMicros.add((System.nanoTime() - n.path("data").path("sent").asLong()) / 1000);
                    }
                }
                while (received < EVENTS) {
                    var n = fast.awaitOp("event");
                    received++;
                    latenciesMicros.add((System.nanoTime() - n.path("data").path("sent").asLong()) / 1000);
                }
                assertThat(received).isEqualTo(EVENTS);
                latenciesMicros.sort(null);
                System.out.printf("fast subscriber latency while another stalls: p50=%dus p99=%dus max=%dus%n",
                        latenciesMicros.get(EVENTS / 2), latenciesMicros.get(EVENTS * 99 / 100), latenciesMicros.get(EVENTS - 1));

                // the stalled one was dropped by the server: only the fast subscription remains
                await().atMost(Duration.ofSeconds(10)).until(() -> server.services().hub().subscribers(run) == 1);
                await().until(() -> server.services().connections().size() == 1);
                // ~48 MB went out; the server must not be holding what the stalled client did not read
                long growth = usedHeapAfterGc() - heapBefore;
                System.out.printf("heap growth after %d MB published with a stalled subscriber: %d KB%n",
                        (long) EVENTS * EVENT_BYTES >> 20, growth >> 10);
                assertThat(growth).isLessThan(24L << 20);
                stalled.socket.setSoTimeout(10_000);
                // -1: the close frame could not get past the full socket, and the server dropped the connection
                assertThat(stalled.readUntilClose()).isIn(4000, -1);
            }
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
