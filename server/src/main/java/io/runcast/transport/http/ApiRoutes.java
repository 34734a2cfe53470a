package io.runcast.transport.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.runcast.event.Event;
import io.runcast.event.Json;
import io.runcast.feed.FeedPosition;
import io.runcast.protocol.ChatRequest;
import io.runcast.protocol.DraftParser;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.Frames;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.Services;
import io.runcast.store.Appended;
import io.runcast.store.History;
import io.runcast.store.RunInfo;
import io.runcast.transport.Connections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;

/** The JSON HTTP API under {@code /api} (see docs/protocol.md). Runs on the blocking pool. */
public final class ApiRoutes {
    private static final int MAX_PAGE = 1000;
    private final Services s;

    ApiRoutes(Services services) {
        this.s = services;
    }

    void handle(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
        String[] parts = uri.path().substring(1).split("/", -1);
        HttpMethod m = req.method();
        try {
            if (uri.path().equals("/metrics") && m == HttpMethod.GET) {
                HttpReplies.send(ctx, keepAlive, 200, "text/plain; version=0.0.4; charset=utf-8", Metrics.scrape(s));
                return;
            }
            // parts[0] == "api"
            if (parts.length == 2 && parts[1].equals("health") && m == HttpMethod.GET) {
                HttpReplies.json(ctx, keepAlive, 200, health());
            } else if (parts.length == 2 && parts[1].equals("clients") && m == HttpMethod.GET) {
                HttpReplies.json(ctx, keepAlive, 200, clients());
            } else if (parts.length == 2 && parts[1].equals("runs") && m == HttpMethod.GET) {
                HttpReplies.json(ctx, keepAlive, 200, runs(uri));
            } else if (parts.length == 2 && parts[1].equals("agents") && m == HttpMethod.GET) {
                ObjectNode r = Json.object();
                ArrayNode a = r.putArray("agents");
                s.chats().agents().forEach(i -> a.add(i.toJson()));
                HttpReplies.json(ctx, keepAlive, 200, r);
            } else if (parts.length == 2 && parts[1].equals("chats") && m == HttpMethod.POST) {
                ChatRequest chat = ChatRequest.parse(body(req));
                s.chats().start(chat, "http:" + ctx.channel().remoteAddress()).whenComplete((started, err) -> {
                    if (err != null) HttpReplies.error(ctx, keepAlive, err);
                    else HttpReplies.json(ctx, keepAlive, 201, started.toJson()
                            .put("stream", "/api/runs/" + started.run() + "/stream"));
                });
            } else if (parts.length >= 3 && parts[1].equals("runs")) {
                String run = QueryStringDecoder.decodeComponent(parts[2]);
                s.engine().checkRun(run);
                routeRun(ctx, req, uri, keepAlive, run, parts);
            } else {
                throw new RuncastException(ErrorCode.NOT_FOUND, "no route " + m + " " + uri.path());
            }
        } catch (RuntimeException e) {
            HttpReplies.error(ctx, keepAlive, e);
        }
    }

    private void routeRun(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive,
                          String run, String[] parts) {
        HttpMethod m = req.method();
        String sub = parts.length > 3 ? parts[3] : "";
        if (parts.length == 3 && m == HttpMethod.GET) {
            RunInfo info = s.engine().info(run).orElseThrow(() -> notFound(run));
            HttpReplies.json(ctx, keepAlive, 200, runJson(info, watchers()));
        } else if (parts.length == 4 && sub.equals("events") && m == HttpMethod.GET) {
            HttpReplies.json(ctx, keepAlive, 200, events(run, uri));
        } else if (parts.length == 4 && sub.equals("events") && m == HttpMethod.POST) {
            JsonNode body = body(req);
            s.engine().publish(run, DraftParser.parse(body)).whenComplete((accepted, err) -> {
                if (err != null) HttpReplies.error(ctx, keepAlive, err);
                else HttpReplies.json(ctx, keepAlive, 200, accepted(run, accepted));
            });
        } else if (parts.length == 4 && m == HttpMethod.POST && (sub.equals("cancel") || sub.equals("pause") || sub.equals("resume"))) {
            JsonNode body = req.content().isReadable() ? body(req) : Json.object();
            String by = textOr(body, "by", "http:" + ctx.channel().remoteAddress());
            CompletionStage<Event> outcome = switch (sub) {
                case "cancel" -> s.control().cancel(run, by, textOr(body, "reason", null));
                case "pause" -> s.control().pause(run, by);
                default -> s.control().resume(run, by);
            };
            reply(ctx, keepAlive, run, outcome);
        } else if (parts.length == 5 && sub.equals("decisions") && m == HttpMethod.POST) {
            JsonNode body = body(req);
            if (!body.has("choice")) throw new RuncastException(ErrorCode.BAD_REQUEST, "choice is required");
            String by = textOr(body, "by", "http:" + ctx.channel().remoteAddress());
            String decision = QueryStringDecoder.decodeComponent(parts[4]);
            reply(ctx, keepAlive, run, s.control().decide(run, decision, body.get("choice"), by));
        } else {
            throw new RuncastException(ErrorCode.NOT_FOUND, "no route " + m + " " + uri.path());
        }
    }

    private void reply(ChannelHandlerContext ctx, boolean keepAlive, String run, CompletionStage<Event> outcome) {
        outcome.whenComplete((e, err) -> {
            if (err != null) HttpReplies.error(ctx, keepAlive, err);
            else HttpReplies.json(ctx, keepAlive, 200, Json.object().put("run", run).put("seq", e.seq()));
        });
    }

    private JsonNode body(FullHttpRequest req) {
        return NettyExchange.body(req, s.config().maxFrameBytes());
    }

    private static String textOr(JsonNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) return fallback;
        if (!n.isTextual()) throw new RuncastException(ErrorCode.BAD_REQUEST, field + " must be a string");
        return n.asText();
    }

    private static RuncastException notFound(String run) {
        return new RuncastException(ErrorCode.NOT_FOUND, "no run " + run);
    }

    private ObjectNode accepted(String run, List<Appended> accepted) {
        ObjectNode r = Json.object().put("run", run);
        ArrayNode a = r.putArray("accepted");
        for (Appended ap : accepted) a.addObject().put("seq", ap.event().seq()).put("id", ap.event().id()).put("duplicate", ap.duplicate());
        return r;
    }

    private ObjectNode runJson(RunInfo i, Map<String, Map<String, Integer>> watchers) {
        ObjectNode o = Json.object().put("run", i.run()).put("status", i.status().wire()).put("epoch", i.epoch())
                .put("head", i.head()).put("first", i.first()).put("subscribers", s.hub().subscribers(i.run()))
                .put("created", String.valueOf(i.createdAt())).put("updated", String.valueOf(i.updatedAt()));
        ObjectNode by = o.putObject("watched_by");
        watchers.getOrDefault(i.run(), Map.of()).forEach(by::put);
        return o;
    }

    /** Run → transport (ws, sse, a format's name) → connections watching it, from one pass over the connections. */
    private Map<String, Map<String, Integer>> watchers() {
        Map<String, Map<String, Integer>> out = new HashMap<>();
        for (Connections.Client c : s.connections().list()) {
            for (String run : c.runs()) out.computeIfAbsent(run, r -> new TreeMap<>()).merge(c.transport(), 1, Integer::sum);
        }
        return out;
    }

    private ObjectNode runs(QueryStringDecoder uri) {
        int limit = intParam(uri, "limit", 100, 1, MAX_PAGE);
        String status = param(uri, "status");
        if (status != null && !status.equals("open") && !status.equals("all")) {
            throw new RuncastException(ErrorCode.BAD_REQUEST, "status must be open or all");
        }
        // The feed's position is read before the list: every change the list may miss comes after it,
        // so a client that subscribes to the feed from here misses nothing.
        FeedPosition feed = s.feed().position();
        Map<String, Map<String, Integer>> watchers = watchers();
        ObjectNode r = Json.object();
        ArrayNode a = r.putArray("runs");
        for (RunInfo i : s.engine().list(limit, "open".equals(status))) {
            ObjectNode run = runJson(i, watchers);
            JsonNode p = i.closed() ? null : s.feed().lastProgress(i.run()); // so a page loaded mid-run shows its bar
            if (p != null) for (String f : List.of("progress", "step", "note")) if (p.has(f)) run.set(f, p.get(f));
            a.add(run);
        }
        r.putObject("feed").put("run", feed.run()).put("epoch", feed.epoch()).put("head", feed.head());
        return r;
    }

    /** Events are written straight from their stored JSON text; no tree is built per event. */
    private byte[] events(String run, QueryStringDecoder uri) {
        long after = longParam(uri, "after", 0);
        int limit = intParam(uri, "limit", 100, 1, MAX_PAGE);
        History h = s.engine().read(run, after, limit);
        if (h.epoch() == null) throw notFound(run);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + h.events().size() * 256);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("run", run);
            g.writeStringField("epoch", h.epoch());
            g.writeNumberField("first", h.first());
            g.writeNumberField("head", h.head());
            g.writeArrayFieldStart("events");
            for (Event e : h.events()) {
                g.writeStartObject();
                Frames.writeEventFields(g, e);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private ObjectNode clients() {
        ObjectNode r = Json.object();
        ArrayNode a = r.putArray("clients");
        for (Connections.Client c : s.connections().list()) {
            ObjectNode o = a.addObject().put("connection", c.connection()).put("transport", c.transport())
                    .put("remote", c.remote()).put("connected", c.connected().toString());
            ArrayNode runs = o.putArray("runs");
            for (String run : c.runs()) runs.add(run);
        }
        return r;
    }

    private ObjectNode health() {
        return Json.object().put("status", "ok").put("version", Services.VERSION).put("store", s.engine().storeKind())
                .put("uptime_seconds", Duration.between(s.started(), Instant.now()).toSeconds())
                .put("connections", s.connections().size()).put("subscriptions", s.hub().subscriptions())
                .set("limits", s.engine().limits().stated(s.config().maxFrameBytes()).toJson());
    }

    /** The first value of a query parameter, or null. */
    static String param(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    private static long longParam(QueryStringDecoder uri, String name, long dflt) {
        String v = param(uri, name);
        if (v == null) return dflt;
        try {
            long n = Long.parseLong(v);
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new RuncastException(ErrorCode.BAD_REQUEST, name + " must be a non-negative integer");
        }
    }

    private static int intParam(QueryStringDecoder uri, String name, int dflt, int min, int max) {
        long n = longParam(uri, name, dflt);
        if (n < min || n > max) throw new RuncastException(ErrorCode.BAD_REQUEST, name + " must be " + min + ".." + max);
        return (int) n;
    }
}
