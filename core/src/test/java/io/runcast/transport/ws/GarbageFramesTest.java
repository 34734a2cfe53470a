package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.protocol.CloseCode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded random garbage from several clients — broken JSON, wrong types, unknown ops, random field
 * mixes, huge numbers, deep nesting — while a well-behaved client follows a run. Every bad frame must
 * get a structured error or be refused by close code, the server must stay up, and the good client
 * must see every event exactly once. Re-run a failure with -Druncast.seed=N.
 */
class GarbageFramesTest {
    private static final String[] OPS = {"subscribe", "unsubscribe", "publish", "ping", "pong", "cancel", "pause",
            "resume", "decide", "", "SUBSCRIBE", "event", "end", "connected"};
    private static final String[] VALUES = {"null", "true", "-1", "0", "1e309", "99999999999999999999", "\"\"", "\"r\"",
            "\"bad run\"", "[]", "{}", "[1,{\"a\":[]}]", "\"step.*\"", "[\"step.*\",7]", "{\"type\":\"log.line\"}",
            "{\"type\":\"run.completed\"}", "[{\"type\":\"nope\"}]", "\"\\u0000\"", "\"" + "x".repeat(300) + "\""};
    private static final String[] FIELDS = {"op", "run", "since", "epoch", "types", "id", "event", "events", "decision",
            "choice", "reason", "extra"};

    @Test
    void randomGarbage_getsStructuredErrors_andNeverDisturbsOthers() throws Exception {
        long seed = Long.getLong("runcast.seed", System.nanoTime());
        System.out.println("GarbageFramesTest seed=" + seed);
        Random r = new Random(seed);
        try (RuncastServer server = TestServer.start(); WsTestClient good = WsTestClient.connect(server.port())) {
            int port = server.port();
            good.awaitOp("connected");
            good.send("{\"op\":\"subscribe\",\"run\":\"steady\"}");
            good.awaitOp("subscribed");
            List<WsTestClient> bad = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WsTestClient c = WsTestClient.connect(port);
                c.awaitOp("connected");
                bad.add(c);
            }
            int published = 0;
            for (int i = 0; i < 600; i++) {
                WsTestClient c = bad.get(r.nextInt(bad.size()));
                if (!c.closed.isDone()) sendUnlessClosed(c, garbage(r));
                if (i % 20 == 0) {
                    TestServer.post(port, "/api/runs/steady/events", "{\"type\":\"log.line\",\"data\":{\"i\":" + i + "}}");
                    published++;
                }
            }
            // every reply to garbage is a well-formed frame with a known op; errors carry a code and message
            for (WsTestClient c : bad) {
                int errors = 0;
                for (JsonNode f : replies(c)) {
                    String op = f.path("op").asText();
                    assertThat(op).as("seed %d", seed).isIn("error", "pong", "subscribed", "unsubscribed", "published", "ok",
                            "event", "end", "ping");
                    if (op.equals("error")) {
                        errors++;
                        assertThat(f.path("code").asText()).as("seed %d: %s", seed, f).isNotEmpty().isNotEqualTo("internal");
                        assertThat(f.path("message").asText()).isNotEmpty();
                    }
                }
                assertThat(errors).as("seed %d: error frames answering garbage", seed).isPositive();
                if (c.closed.isDone()) {
                    assertThat(c.closed.join()).as("seed %d: the only close garbage earns", seed).isEqualTo(CloseCode.PROTOCOL_VIOLATION.code());
                    assertThat(errors).as("seed %d: errors before the close", seed).isGreaterThan(WsSession.MAX_ERRORS_PER_MINUTE);
                }
                c.close();
            }
            List<Long> seen = new ArrayList<>();
            while (seen.size() < published) seen.add(good.awaitOp("event").path("seq").asLong());
            assertThat(seen).as("seed %d", seed).containsExactlyElementsOf(LongStream.rangeClosed(1, published).boxed().toList());
            assertThat(TestServer.get(port, "/api/health").statusCode()).isEqualTo(200);
        }
    }

    /** Sends, unless the server has just closed the client (it learns of the close a moment later). */
    private static void sendUnlessClosed(WsTestClient c, String text) {
        try {
            c.send(text);
        } catch (CompletionException e) {
            assertThat(c.closed).as("send failed on an open connection: %s", e.getCause()).succeedsWithin(Duration.ofSeconds(5));
        }
    }

    /**
     * Everything the server has answered this client: frames up to the pong of a final probe ping —
     * frames are handled in order, so every direct reply to what came before is in — or, for a client the
     * server closed, up to the close (errors are flushed before the close frame).
     */
    private static List<JsonNode> replies(WsTestClient c) throws InterruptedException {
        if (!c.closed.isDone()) {
            try {
                c.send("{\"op\":\"ping\",\"id\":\"probe\"}");
            } catch (RuntimeException closing) {
                // closed meanwhile: its close ends the replies
            }
        }
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // a failure guard only
        while (true) {
            JsonNode f = c.frames.poll(100, TimeUnit.MILLISECONDS);
            if (f != null) {
                if (f.path("op").asText().equals("pong") && f.path("id").asText().equals("probe")) return out;
                out.add(f);
            } else if (c.closed.isDone() && c.frames.isEmpty()) {
                return out;
            } else if (System.nanoTime() > deadline) {
                throw new AssertionError("neither the probe's pong nor a close within 10 s");
            }
        }
    }

    private static String garbage(Random r) {
        switch (r.nextInt(6)) {
            case 0: { // random bytes as text
                StringBuilder sb = new StringBuilder();
                for (int i = 0, n = r.nextInt(40); i < n; i++) sb.append((char) (32 + r.nextInt(95)));
                return sb.toString();
            }
            case 1: // deep nesting
                return "[".repeat(r.nextInt(2000)) + "]".repeat(r.nextInt(2000));
            case 2: // truncated valid frame
                String ok = "{\"op\":\"subscribe\",\"run\":\"steady\",\"since\":3}";
                return ok.substring(0, r.nextInt(ok.length()));
            default: { // random mix of protocol fields and values
                StringBuilder sb = new StringBuilder("{");
                for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
                    if (i > 0) sb.append(',');
                    String field = FIELDS[r.nextInt(FIELDS.length)];
                    String value = field.equals("op") && r.nextBoolean() ? "\"" + OPS[r.nextInt(OPS.length)] + "\"" : VALUES[r.nextInt(VALUES.length)];
                    sb.append('"').append(field).append("\":").append(value);
                }
                return sb.append('}').toString();
            }
        }
    }
}
