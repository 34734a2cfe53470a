package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The few HTTP API calls a client needs besides the socket: list runs, read one, publish. Errors come
 * back as {@link RuncastException} with the server's code ({@code UNAVAILABLE} when unreachable).
 */
public final class RuncastHttp {
    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /** @param server the server's base URL, e.g. {@code http://localhost:8000} (ws:// and wss:// are accepted too) */
    public RuncastHttp(String server) {
        this.base = httpBase(server);
        this.timeout = Duration.ofSeconds(15);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code http://h:p} → {@code ws://h:p/ws}; {@code https} → {@code wss}. A ws URL with a path is kept as is. */
    public static URI wsUri(String server) {
        String s = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        if (s.startsWith("ws://") || s.startsWith("wss://")) {
            return URI.create(URI.create(s).getPath().isEmpty() ? s + "/ws" : s);
        }
        if (s.startsWith("https://")) return URI.create("wss://" + s.substring(8) + "/ws");
        if (s.startsWith("http://")) return URI.create("ws://" + s.substring(7) + "/ws");
        return URI.create("ws://" + s + "/ws");
    }

    static URI httpBase(String server) {
        String s = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        if (s.startsWith("ws://")) s = "http://" + s.substring(5);
        else if (s.startsWith("wss://")) s = "https://" + s.substring(6);
        else if (!s.startsWith("http://") && !s.startsWith("https://")) s = "http://" + s;
        if (s.endsWith("/ws")) s = s.substring(0, s.length() - 3);
        return URI.create(s);
    }

    public URI base() {
        return base;
    }

    /** GET /api/runs: newest first; each object has run, status, epoch, head, first, created, updated. */
    public List<JsonNode> runs(int limit) {
        List<JsonNode> out = new ArrayList<>();
        listing(limit).path("runs").forEach(out::add);
        return out;
    }

    /**
     * GET /api/runs as answered: {@code runs} (see {@link #runs}) and {@code feed}, the run feed's
     * {@code {run, epoch, head}} read before the list — subscribe to the feed from there to miss no change.
     */
    public JsonNode listing(int limit) {
        return send(HttpRequest.newBuilder(base.resolve("/api/runs?limit=" + limit)).GET());
    }

    /** GET /api/runs/{run}. */
    public JsonNode run(String run) {
        return send(HttpRequest.newBuilder(base.resolve("/api/runs/" + enc(run))).GET());
    }

    /** POST /api/runs/{run}/events with one event or several. */
    public List<Accepted> publish(String run, EventDraft... drafts) {
        ArrayNode arr = Wire.drafts(drafts);
        String body = drafts.length == 1 ? Json.write(arr.get(0)) : Json.write(arr);
        JsonNode reply = send(HttpRequest.newBuilder(base.resolve("/api/runs/" + enc(run) + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        return Wire.accepted(reply);
    }

    private JsonNode send(HttpRequest.Builder req) {
        HttpResponse<String> res;
        try {
            res = http.send(req.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RuncastException(ErrorCode.UNAVAILABLE, "cannot reach " + base + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuncastException(ErrorCode.UNAVAILABLE, "interrupted");
        }
        JsonNode body;
        try {
            body = res.body().isBlank() ? Json.object() : Json.parse(res.body());
        } catch (IllegalArgumentException e) {
            throw new RuncastException(ErrorCode.INTERNAL, "HTTP " + res.statusCode() + " with a body that is not JSON");
        }
        if (res.statusCode() >= 400) {
            JsonNode err = body.path("error");
            throw new RuncastException(ErrorCode.fromWire(err.path("code").asText()),
                    err.path("message").asText("HTTP " + res.statusCode()));
        }
        return body;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
