package io.runcast.cli;

import io.runcast.demo.DemoChats;
import io.runcast.demo.DemoPlan;
import io.runcast.agui.AgUi;
import io.runcast.seeds.Seeds;
import io.runcast.server.RuncastServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code runcast demo}: the server plus a realistic multi-agent run, over and over. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the server and keep a live multi-agent demo run going, printing where to watch it.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ServerOptions options;

    @Mixin
    AgentOptions agents;

    @Option(names = "--pace", defaultValue = "1.0", description = "multiplies every scripted delay; 0.2 is five times faster (default: ${DEFAULT-VALUE})")
    double pace;

    @Override
    public Integer call() throws Exception {
        if (!Launch.check(agents)) return 2;
        RuncastServer server = Launch.start(options);
        if (server == null) return 2;
        Seeds.install(server); // the seed applications' own formats, beside the native protocol (docs/compat.md)
        AgUi.install(server); // runs as AG-UI event streams (docs/compat.md)
        ChatAgents chats = ChatAgents.install(server, agents, pace);
        String base = "http://" + Launch.displayHost(server) + ":" + server.port();
        System.out.println("Runcast is up with a live demo.");
        System.out.println("  Dashboard:  " + base + "/");
        System.out.println("  WebSocket:  ws://" + Launch.displayHost(server) + ":" + server.port() + "/ws");
        System.out.println("  Runs:       curl " + base + "/api/runs");
        System.out.println("  Tail:       ./runcast tail --all --server " + base);
        DemoPlan.Options demo = new DemoPlan.Options("demo", pace, DemoPlan.Options.DEFAULT.gap(),
                DemoPlan.Options.DEFAULT.decisionTimeout(),
                run -> System.out.println("▶ demo run " + run + "  →  " + base + "/#/runs/" + run));
        AutoCloseable loop = DemoPlan.runForever(server.engine(), server.streamControl(), demo);
        System.out.println("  Chat:       " + base + "/#/chat  (answered by " + chats.defaultAgent() + ")");
        AutoCloseable talk = DemoChats.runForever(chats.runner, new DemoChats.Options("demo-chat",
                java.time.Duration.ofMillis(Math.round(4000 * pace)),
                run -> System.out.println("▶ demo chat " + run + "  →  " + base + "/#/runs/" + run)));
        // the loops end their runs (run.failed) before the store closes
        ServeCommand.awaitShutdown(server, loop, talk, chats);
        return 0;
    }
}
