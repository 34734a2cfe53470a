package io.runcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
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

/** The publish and tail commands against a real server. */
class CliCommandsTest {
    private RuncastServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void cli_publishThenTail_printsReadableLines() {
        String url = "http://127.0.0.1:" + server.port();
        String published = run(new PublishCommand(), "cli-run", "agent.thinking", "--data", "{\"content\":\"pondering \\u001b[31m\"}", "--server", url);
        assertThat(published).contains("cli-run #1 agent.thinking");
        run(new PublishCommand(), "cli-run", "step.progress", "--step", "s1", "--data", "{\"progress\":50,\"message\":\"half\"}", "--server", url);
        run(new PublishCommand(), "cli-run", "answer.delta", "--data", "{\"text\":\"Hel\"}", "--server", url);
        run(new PublishCommand(), "cli-run", "answer.delta", "--data", "{\"text\":\"lo\"}", "--server", url);
        run(new PublishCommand(), "cli-run", "run.completed", "--server", url);
        String bad = run(new PublishCommand(), "cli-run", "agent.thinking", "--server", url);
        assertThat(bad).isEmpty(); // refused (run closed): the message goes to stderr

        String tail = run(new TailCommand(), "cli-run", "--server", url, "--color", "never");
        assertThat(tail).contains("cli-run #1", "agent.thinking", "pondering \\x1b[31m")
                .contains("[#####-----]  50% half")
                .contains("answer.delta", "Hello")
                .contains("run.completed", "cli-run ended at #5");
        String colored = run(new TailCommand(), "cli-run", "--server", url, "--color", "always");
        assertThat(colored).contains("\u001b[34m"); // thinking is blue
    }

    @Test
    void cli_tailAll_followsRunsThatAppearLater() throws Exception {
        String url = "http://127.0.0.1:" + server.port();
        server.publishAndWait("old-open", List.of(EventDraft.of("agent.thinking", Json.object().put("content", "history, not news"))));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        Thread tail = new Thread(() -> new CommandLine(new TailCommand()).execute("--all", "--server", url, "--poll", "100", "--color", "never"));
        try {
            tail.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> buf.toString(StandardCharsets.UTF_8).contains("-- connected"));
            Thread.sleep(300); // at least one listing: old-open is now followed from its end
            server.publishAndWait("old-open", List.of(EventDraft.of("agent.thinking", Json.object().put("content", "news on an old run"))));
            server.publishAndWait("brand-new", List.of(EventDraft.of("run.started", Json.object()),
                    EventDraft.of("run.completed", Json.object())));
            await().atMost(Duration.ofSeconds(10)).until(() -> buf.toString(StandardCharsets.UTF_8).contains("brand-new ended at #2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> buf.toString(StandardCharsets.UTF_8).contains("news on an old run"));
        } finally {
            tail.interrupt();
            tail.join(5000);
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        assertThat(out).contains("brand-new #1 run.started").doesNotContain("history, not news");
    }

    private static String run(Object command, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            new CommandLine(command).execute(args);
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        old.print(out);
        return out;
    }
}
