package io.runcast.cli;

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

    @Override
    public Integer call() throws InterruptedException {
        RuncastServer server = Launch.start(options);
        if (server == null) return 2;
        System.out.println("Runcast is up: http://" + Launch.displayHost(server) + ":" + server.port() + "/  (WebSocket: /ws)");
        awaitShutdown(server);
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
