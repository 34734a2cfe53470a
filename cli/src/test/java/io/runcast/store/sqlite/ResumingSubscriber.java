package io.runcast.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.testing.WsTestClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket subscriber that behaves like a well-written client: it keeps every event it gets,
 * and whenever the connection drops (the server was killed) it reconnects and resumes with
 * {@code since} = its last seq and the epoch it knows. Anything unexpected is recorded as a problem.
 */
final class ResumingSubscriber implements Runnable {
    private final int port;
    private final String run;
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    volatile int resumes;
    private volatile boolean stop;
    private String epoch;

    ResumingSubscriber(int port, String run) {
        this.port = port;
        this.run = run;
    }

    long lastSeq() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).path("seq").asLong();
    }

    void stop() {
        stop = true;
    }

    @Override
    public void run() {
        while (!stop) {
            try (WsTestClient ws = WsTestClient.connect(port)) {
                long since = lastSeq();
                var sub = Json.object().put("op", "subscribe").put("run", run).put("id", 1);
                if (since > 0) sub.put("since", since);
                if (since > 0 && epoch != null) sub.put("epoch", epoch);
                ws.send(sub);
                JsonNode subscribed = ws.await(n -> n.path("op").asText().equals("subscribed")
                        || n.path("op").asText().equals("error"), 5000);
                if (!subscribed.path("op").asText().equals("subscribed")) {
                    problems.add("subscribe refused: " + subscribed);
                } else if (since > 0) {
                    resumes++;
                    if (!subscribed.path("recovered").asBoolean()) problems.add("resume from " + since + " not recovered: " + subscribed);
                    if (epoch != null && !epoch.equals(subscribed.path("epoch").asText())) problems.add("epoch changed: " + subscribed);
                }
                if (epoch == null && subscribed.hasNonNull("epoch")) epoch = subscribed.path("epoch").asText();
                while (!stop) {
                    JsonNode n = ws.frames.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (n == null && ws.closed.isDone()) break; // the server went away: resume
                    if (n == null || !n.path("op").asText().equals("event")) continue;
                    long seq = n.path("seq").asLong();
                    if (seq != lastSeq() + 1) problems.add("seq " + seq + " after " + lastSeq());
                    events.add(n);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | AssertionError serverDown) {
                sleep(); // killed or restarting: try again
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
