package io.runcast.cli;

import io.runcast.agui.AgUi;
import io.runcast.seeds.Seeds;
import io.runcast.server.RuncastServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code runcast serve}: runs the server until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Runcast server.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Mixin
    AgentOptions agents;

    @Override
    public Integer call() throws InterruptedException {
        if (!Launch.check(agents)) return 2;
        RuncastServer server = Launch.start(options);
        if (server == null) return 2;
        Seeds.install(server); // the seed applications' own formats, beside the native protocol (docs/compat.md)
        AgUi.install(server); // runs as AG-UI event streams (docs/compat.md)
        ChatAgents chats = ChatAgents.install(server, agents, 1.0);
        System.out.println("Runcast is up: http://" + Launch.displayHost(server) + ":" + server.port() + "/  (WebSocket: /ws)");
        System.out.println("  Chats answered by: " + chats.defaultAgent() + (agents.hasModel() ? "" : "  (set --model to talk to a model)"));
        awaitShutdown(server, chats);
        return 0;
    }

    /** Blocks until the JVM is asked to stop, then closes {@code first} and then the server. */
    static void awaitShutdown(RuncastServer server, AutoCloseable... first) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : first) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("runcast: while stopping: " + e);
                }
            }
            server.close();
            done.countDown();
        }, "runcast-shutdown"));
        done.await();
    }
}
