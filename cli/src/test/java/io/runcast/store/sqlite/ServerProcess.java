package io.runcast.store.sqlite;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Runcast server as a real child JVM ({@code io.runcast.cli.Main serve}), which a test can SIGKILL and restart. */
final class ServerProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    final int port;
    private final Path data;
    private final Path log;
    private final List<String> extraArgs;
    private Process process;
    private int starts;

    ServerProcess(Path data, Path log, List<String> extraArgs) throws IOException {
        this.port = freePort();
        this.data = data;
        this.log = log;
        this.extraArgs = extraArgs;
    }

    /** Starts the server and waits until it answers /api/health. */
    void start() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, "io.runcast.cli.Main", "serve",
                "--port", String.valueOf(port), "--data", data.toString(), "--store", "sqlite"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        starts++;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new AssertionError("server exited with " + process.exitValue() + "; see " + log);
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
                        .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("server did not come up within 30 s; see " + log);
    }

    /** SIGKILL: no shutdown hook, no flush, no checkpoint. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    int starts() {
        return starts;
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
