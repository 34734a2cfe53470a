package io.runcast.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.testing.WsTestClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Seeded random garbage from several clients — broken JSON, wrong types, unknown ops, random field
 * mixes, huge numbers, deep nesting — while a well-behaved client follows a run. Every reply must be a
 * well-formed frame and errors must come (the replies are read up to a probe, so none can go missing),
 * the server must stay up, and the good client must see every event exactly once. Re-run a failure
 * with -Druncast.seed=N.
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
            // Each bad client sends at most MAX_ERRORS_PER_MINUTE frames, so none is closed as a protocol
            // violation and every reply can be read (WsProtocolTest covers that close); the clients take
            // turns, in a random order each round.
            int clients = 600 / WsSession.MAX_ERRORS_PER_MINUTE;
            for (int i = 0; i < clients; i++) {
                WsTestClient c = WsTestClient.connect(port);
                c.awaitOp("connected");
                bad.add(c);
            }
            int published = 0;
            List<WsTestClient> round = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                if (round.isEmpty()) {
                    round.addAll(bad);
                    Collections.shuffle(round, r);
                }
                round.remove(round.size() - 1).send(garbage(r));
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
                assertThat(c.closed).as("seed %d: closed, though under the bad-frame limit", seed).isNotDone();
                c.close();
            }
            List<Long> seen = new ArrayList<>();
            while (seen.size() < published) seen.add(good.awaitOp("event").path("seq").asLong());
            assertThat(seen).as("seed %d", seed).containsExactlyElementsOf(LongStream.rangeClosed(1, published).boxed().toList());
            assertThat(TestServer.get(port, "/api/health").statusCode()).isEqualTo(200);
        }
    }

    /**
     * Everything the server has answered this client: frames up to the pong of a final probe ping —
     * frames are handled in order, so every direct reply to what came before is in.
     */
    private static List<JsonNode> replies(WsTestClient c) {
        c.send("{\"op\":\"ping\",\"id\":\"probe\"}");
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode f; !((f = c.next(10_000)).path("op").asText().equals("pong") && f.path("id").asText().equals("probe")); ) {
            out.add(f);
        }
        return out;
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
