package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.CloseCode;
import io.runcast.server.RuncastServer;
import io.runcast.store.Retention;
import io.runcast.testing.RawWsClient;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that stops reading is cut off with close code 4000 while a normal subscriber of the
 * same run gets every event, and the server's heap does not grow with what the stalled client
 * failed to read. When the stalled client reads again it finds an unbroken prefix of the run, then
 * the 4000 close frame telling it to resume from there.
 */
class SlowConsumerTest {
    static final int EVENTS = 3000;
    static final int EVENT_BYTES = 16 * 1024;
    static final long OUTBOUND_LIMIT = 512 * 1024;
    static final int RECEIVE_BUFFER = 16 * 1024;
    /**
     * Events after which the stalled client must have been cut off: its outbound limit plus everything
     * the kernel can hold on the way (the sender's autotuned send buffer, at most {@code tcp_wmem}'s
     * maximum, and the receiver's buffer, which Linux doubles), plus slack. It reads again right then,
     * well within the server's grace for delivering the close frame (2 s from the cut-off).
     */
    static final int RESUME_AT = (int) ((OUTBOUND_LIMIT + maxSendBuffer() + 4L * RECEIVE_BUFFER + 4L * EVENT_BYTES) / EVENT_BYTES);

    @Test
    void stalledSubscriber_isCutOff_othersGetEverything_memoryBounded() throws Exception {
        try (RuncastServer server = TestServer.start(b -> b.outboundLimitBytes(OUTBOUND_LIMIT)
                .retention(new Retention(50, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(1))))) {
            int port = server.port();
            String run = "slow";
            assertThat(RESUME_AT).as("the stalled client is cut off well before the end").isLessThan(EVENTS / 2);
            long heapBefore = usedHeapAfterGc();

            RawWsClient stalled = RawWsClient.connect(port, RECEIVE_BUFFER);
            stalled.sendText("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}"); // ...and never reads
            try (WsTestClient fast = WsTestClient.connect(port)) {
                fast.awaitOp("connected");
                fast.send("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}");
                fast.awaitOp("subscribed");
                await().until(() -> server.services().hub().subscribers(run) == 2);

                String pad = "x".repeat(EVENT_BYTES);
                List<Long> latenciesMicros = new ArrayList<>();
                long received = 0;
                Drained drained = null;
                for (int i = 0; i < EVENTS; i++) {
                    if (i == RESUME_AT) drained = drain(stalled);
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
                System.out.printf("stalled client: read again after %d events were published; found seq 1..%d, then the close frame%n", RESUME_AT, drained.lastSeq());
                assertThat(drained.close()).as("close code found after the backlog").isEqualTo(CloseCode.SLOW_CONSUMER.code());
                assertThat(drained.lastSeq()).as("events before the cut-off").isBetween(1L, (long) RESUME_AT);
                stalled.close();
            }
        }
    }

    /** What the stalled client found when it read again: its events' last seq and the close code. */
    record Drained(long lastSeq, int close) {}

    /** Reads the backlog: events in seq order with no gap, then a close frame, then nothing. */
    private static Drained drain(RawWsClient c) throws Exception {
        c.socket.setSoTimeout(10_000);
        long last = 0;
        try {
            for (RawWsClient.Frame f; (f = c.read()) != null; ) {
                if (f.opcode() == 8) {
                    assertThat(c.read()).as("nothing after the close frame").isNull();
                    return new Drained(last, f.closeCode());
                }
                if (f.opcode() != 1) continue;
                JsonNode msg = Json.parse(f.text());
                if (!msg.path("op").asText().equals("event")) continue;
                assertThat(msg.path("seq").asLong()).as("seq after %d", last).isEqualTo(last + 1);
                last++;
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no close frame within 10 s after seq " + last + ": the client was never cut off", e);
        } catch (EOFException | SocketException e) {
            throw new AssertionError("the connection broke off after seq " + last + ", in the middle of a frame", e);
        }
        throw new AssertionError("the connection ended after seq " + last + " without a close frame");
    }

    /** The most a loopback send buffer grows to: Linux's tcp_wmem maximum, or a generous guess elsewhere. */
    private static long maxSendBuffer() {
        try {
            // readAllLines, not readString: the latter trusts /proc's reported size of 0 and reads one byte
            String[] wmem = Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0).trim().split("\\s+");
            return Long.parseLong(wmem[2]);
        } catch (IOException | RuntimeException e) {
            return 16L << 20;
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
