package io.runcast.cli;

import io.runcast.config.RuncastConfig;
import io.runcast.protocol.RuncastException;
import io.runcast.server.RuncastServer;

/** Starting a server from options, with start-up failures reported as one clear line, not a stack trace. */
final class Launch {
    private Launch() {}

    static RuncastServer start(ServerOptions options) {
        try {
            RuncastConfig config = options.toConfig();
            return RuncastServer.start(config);
        } catch (IllegalArgumentException | RuncastException e) {
            System.err.println("runcast: " + e.getMessage());
        } catch (Exception e) { // includes a BindException that Netty rethrows unchecked
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            System.err.println("runcast: cannot start: " + root.getMessage());
        }
        return null;
    }

    /** Checks the agent options before anything starts; false (with one line on stderr) when they are wrong. */
    static boolean check(AgentOptions agents) {
        try {
            agents.chatConfig();
            agents.approvalTimeout();
            if (agents.hasModel()) agents.llmConfig();
            return true;
        } catch (IllegalArgumentException e) {
            System.err.println("runcast: " + e.getMessage());
            return false;
        }
    }

    static String displayHost(RuncastServer server) {
        String h = server.config().host();
        return h.equals("0.0.0.0") ? "localhost" : h;
    }
}
