package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.store.Retention;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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

            Socket stalled = rawSubscriber(port, run); // handshakes, subscribes, then never reads
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
                assertThat(closeCodeSeenBy(stalled)).isIn(4000, -1); // -1: the close frame could not get past the full socket
            }
        }
    }

    private static Socket rawSubscriber(int port, String run) throws Exception {
        Socket s = new Socket("127.0.0.1", port);
        s.setReceiveBufferSize(16 * 1024);
        OutputStream out = s.getOutputStream();
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // RFC 6455 4.1: wait for the server's handshake response before sending frames
        InputStream in = s.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new AssertionError("closed during handshake");
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        out.write(maskedText("{\"op\":\"subscribe\",\"run\":\"" + run + "\"}"));
        out.flush();
        return s;
    }

    /** Reads everything the stalled client was sent and returns the close code, or -1 on EOF without one. */
    private static int closeCodeSeenBy(Socket s) throws Exception {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] all = in.readAllBytes(); // the handshake response was consumed already
        int i = 0;
        while (i + 2 <= all.length) {
            int op = all[i] & 0x0f;
            long len = all[i + 1] & 0x7f;
            int hdr = 2;
            if (len == 126) { len = ((all[i + 2] & 0xff) << 8) | (all[i + 3] & 0xff); hdr = 4; }
            else if (len == 127) { len = 0; for (int k = 0; k < 8; k++) len = (len << 8) | (all[i + 2 + k] & 0xff); hdr = 10; }
            if (i + hdr + len > all.length) return -1;
            if (op == 8) return ((all[i + hdr] & 0xff) << 8) | (all[i + hdr + 1] & 0xff);
            i += hdr + (int) len;
        }
        return -1;
    }

    private static int indexOf(byte[] a, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= a.length; i++) {
            for (int j = 0; j < b.length; j++) if (a[i + j] != b[j]) continue outer;
            return i;
        }
        return -1;
    }

    private static byte[] maskedText(String text) {
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[2 + 4 + p.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | p.length);
        byte[] mask = {1, 2, 3, 4};
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < p.length; i++) f[6 + i] = (byte) (p[i] ^ mask[i % 4]);
        return f;
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
