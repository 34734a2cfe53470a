package io.runcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import io.runcast.testing.CountingProxy;
import io.runcast.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code runcast tail --all} in-process against a real server, behind a proxy that counts
 * {@code GET /api/runs}: new runs must reach it through the run feed, not through listings.
 */
class TailAllTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private PrintStream stdout;
    private Thread tail;

    @BeforeEach
    void captureStdout() {
        stdout = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (tail != null) {
            tail.interrupt();
            tail.join(5000);
        }
        System.setOut(stdout);
        stdout.print(out());
    }

    private String out() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    private void startTail(int port) {
        tail = new Thread(() -> new CommandLine(new TailCommand())
                .execute("--all", "--server", "http://127.0.0.1:" + port, "--color", "never"), "tail-all");
        tail.start();
    }

    private static List<EventDraft> drafts(String... typesAndText) {
        return java.util.Arrays.stream(typesAndText).map(t -> {
            String[] p = t.split(":", 2);
            return EventDraft.of(p[0], p.length > 1 ? Json.object().put("content", p[1]) : Json.object());
        }).toList();
    }

    @Test
    void newRuns_arriveThroughTheFeed_afterOneListing() throws Exception {
        try (RuncastServer server = TestServer.start(); CountingProxy proxy = new CountingProxy(server.port(), "GET /api/runs?")) {
            server.publishAndWait("old-open", drafts("agent.thinking:history, not news"));
            server.publishAndWait("old-done", drafts("run.started", "run.completed"));
            startTail(proxy.port());
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.count() == 1 && out().contains("-- connected"));

            server.publishAndWait("brand-new", drafts("run.started"));
            server.publishAndWait("old-open", drafts("agent.thinking:news on an old run"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out().contains("news on an old run"));
            server.publishAndWait("brand-new", drafts("agent.thinking:fresh", "run.completed"));
            await().atMost(Duration.ofSeconds(10)).until(() -> out().contains("brand-new ended at #3"));

            assertThat(out()).contains("brand-new #2 agent.thinking", "fresh")
                    .doesNotContain("history, not news").doesNotContain("old-done");
            assertThat(proxy.count()).as("the runs were listed once; everything new came from the feed").isEqualTo(1);
        }
    }

    @Test
    void serverRestart_theFeedCannotResume_soTheRunsAreListedAgain() throws Exception {
        RuncastServer first = TestServer.start();
        int port = first.port();
        try (CountingProxy proxy = new CountingProxy(port, "GET /api/runs?")) {
            try {
                startTail(proxy.port());
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.count() == 1
                        && first.services().feed().hub().subscribers("$runs") == 1);
            } finally {
                first.close();
            }
            try (RuncastServer second = TestServer.start(b -> b.port(port))) {
                await().atMost(Duration.ofSeconds(20)).until(() -> out().contains("listing runs again"));
                second.publishAndWait("after-restart", drafts("run.started", "agent.thinking:back again", "run.completed"));
                await().atMost(Duration.ofSeconds(10)).until(() -> out().contains("after-restart ended at #3"));
                assertThat(out()).contains("after-restart #2 agent.thinking", "back again");
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.count() == 2);
            }
        }
    }
}
