package io.runcast.seeds.testing;

import io.runcast.chats.ChatAgent;
import io.runcast.chats.ChatConfig;
import io.runcast.chats.ChatRunner;
import io.runcast.chats.ScriptedAgent;
import io.runcast.config.RuncastConfig;
import io.runcast.event.Json;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.builtin.Builtins;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;


/**
 * A real server that answers chats: plan executor, tool dispatcher with the built-ins, a chat runner
 * with the scripted agent (deterministic; waits for approval on messages starting with "remember")
 * first, then any extra agents. Seed formats are installed by the caller.
 */
public final class ChatFixture implements AutoCloseable {
    public final RuncastServer server;
    public final PlanExecutor executor;
    public final ToolDispatcher tools;
    public final ChatRunner runner;

    private ChatFixture(RuncastServer server, List<ChatAgent> extra) {
        this.server = server;
        this.executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        this.tools = new ToolDispatcher(Builtins.registry());
        List<ChatAgent> agents = new ArrayList<>();
        agents.add(new ScriptedAgent(tools, 0, Duration.ofSeconds(30)));
        agents.addAll(extra);
        this.runner = new ChatRunner(server.engine(), executor, agents, ChatConfig.DEFAULT);
        server.chats().install(runner);
    }

    public static ChatFixture start(ChatAgent... extra) {
        return new ChatFixture(TestServer.start(), List.of(extra));
    }

    public static ChatFixture start(Consumer<RuncastConfig.Builder> tweak, ChatAgent... extra) {
        return new ChatFixture(TestServer.start(tweak), List.of(extra));
    }

    public int port() {
        return server.port();
    }

    /** GET, parsed; fails unless the status is {@code status}. */
    public JsonNode get(String path, int status) {
        var res = TestServer.get(port(), path);
        if (res.statusCode() != status) throw new AssertionError("GET " + path + ": " + res.statusCode() + " " + res.body());
        return res.body().isEmpty() ? Json.object() : Json.parse(res.body());
    }

    /** The stored event types of a run. */
    public List<String> types(String run) {
        return server.engine().read(run, 0, 10_000).events().stream().map(e -> e.type()).toList();
    }

    /** Runs until {@code check} holds for the run's info, or fails after 10 s. */
    public void awaitStatus(String run, String status) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            var info = server.engine().info(run);
            if (info.isPresent() && info.get().status().wire().equals(status)) return;
            if (System.currentTimeMillis() > deadline) throw new AssertionError(run + " is not " + status + ": " + info);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        runner.close();
        executor.close();
        tools.close();
        server.close();
    }

}
