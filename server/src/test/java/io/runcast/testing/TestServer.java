package io.runcast.testing;

import io.runcast.config.RuncastConfig;
import io.runcast.server.RuncastServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Consumer;

/** Starts an in-process server on a free port with the memory store, and speaks HTTP to it. */
public final class TestServer {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestServer() {}

    public static RuncastServer start() {
        return start(b -> {});
    }

    public static RuncastServer start(Consumer<RuncastConfig.Builder> tweak) {
        RuncastConfig.Builder b = RuncastConfig.builder().port(0).store("memory");
        tweak.accept(b);
        return RuncastServer.start(b.build());
    }

    public static HttpResponse<String> post(int port, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static HttpResponse<String> get(int port, String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest req) {
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
