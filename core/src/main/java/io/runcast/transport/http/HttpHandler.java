package io.runcast.transport.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateEvent;
import io.runcast.event.TypeFilter;
import io.runcast.feed.RunFeed;
import io.runcast.protocol.ErrorCode;
import io.runcast.server.Services;
import io.runcast.transport.ws.WsSession;

/**
 * The first handler of every connection: upgrades {@code /ws} to the native WebSocket protocol,
 * serves the dashboard files, and hands {@code /api/…} to {@link ApiRoutes} on the blocking pool
 * (store reads may touch disk; the event loop must not wait on them).
 */
public final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final Services services;
    private final ApiRoutes api;
    private final StaticFiles files;

    public HttpHandler(Services services, ApiRoutes api, StaticFiles files) {
        this.services = services;
        this.api = api;
        this.files = files;
    }

    public static HttpHandler create(Services services) {
        return new HttpHandler(services, new ApiRoutes(services), new StaticFiles());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!req.decoderResult().isSuccess()) {
            HttpReplies.error(ctx, false, ErrorCode.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path();
        if (path.equals("/ws") && isUpgrade(req)) {
            upgrade(ctx, req);
            return;
        }
        if (req.method() == HttpMethod.OPTIONS) {
            // CORS preflight: front ends served from another origin (seed 000's dev server on :3001)
            // may call the API with JSON bodies
            HttpReplies.preflight(ctx, keepAlive);
            return;
        }
        if (req.method() == HttpMethod.GET && path.startsWith("/api/runs/") && path.endsWith("/stream")) {
            stream(ctx, req, uri, keepAlive);
            return;
        }
        if (path.startsWith("/api/") || path.equals("/metrics")) {
            req.retain();
            ctx.channel().config().setAutoRead(false); // one request at a time per connection keeps replies in order
            services.blocking().execute(() -> {
                try {
                    api.handle(ctx, req, uri, keepAlive);
                } catch (RuntimeException e) {
                    HttpReplies.error(ctx, keepAlive, e);
                } finally {
                    req.release();
                    ctx.channel().config().setAutoRead(true);
                }
            });
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.NOT_FOUND, "no route " + req.method() + " " + path);
            return;
        }
        var file = files.get(path);
        if (file.isEmpty()) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.NOT_FOUND, "no such file " + path);
            return;
        }
        HttpReplies.send(ctx, keepAlive, 200, file.get().contentType(), file.get().bytes());
    }

    /**
     * {@code GET /api/runs/{run}/stream}: Server-Sent Events. Resumes after {@code Last-Event-ID} (or
     * {@code ?since=}); {@code ?epoch=} and {@code ?types=a.*,b} as in the WebSocket subscribe. The run
     * feed streams here too, as {@code /api/runs/$runs/stream}.
     */
    private void stream(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive) {
        String[] parts = uri.path().split("/");
        if (parts.length != 5) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.NOT_FOUND, "no route GET " + uri.path());
            return;
        }
        String run = QueryStringDecoder.decodeComponent(parts[3]);
        Long since;
        TypeFilter filter;
        String epoch = ApiRoutes.param(uri, "epoch");
        try {
            if (!RunFeed.isFeed(run)) services.engine().checkRun(run);
            String last = req.headers().get("Last-Event-ID", ApiRoutes.param(uri, "since"));
            since = last == null || last.isBlank() ? null : Long.parseLong(last.trim());
            if (since != null && since < 0) throw new NumberFormatException();
            String types = ApiRoutes.param(uri, "types");
            filter = TypeFilter.of(types == null ? null : java.util.List.of(types.split(",")));
        } catch (NumberFormatException e) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.BAD_REQUEST, "Last-Event-ID / since must be a non-negative integer");
            return;
        } catch (IllegalArgumentException e) {
            HttpReplies.error(ctx, keepAlive, ErrorCode.BAD_REQUEST, e.getMessage());
            return;
        } catch (RuntimeException e) {
            HttpReplies.error(ctx, keepAlive, e);
            return;
        }
        ctx.channel().config().setAutoRead(false);
        services.blocking().execute(() -> {
            var info = services.engine().info(run);
            ctx.executor().execute(() -> {
                if (info.isPresent() && info.get().closed() && since != null && since >= info.get().head()) {
                    // the client has the whole ended stream: 204 tells EventSource to stop reconnecting
                    HttpReplies.send(ctx, keepAlive, 204, "text/plain", new byte[0]);
                    ctx.channel().config().setAutoRead(true);
                    return;
                }
                io.runcast.transport.sse.SseSession.open(ctx, run, since, epoch, filter, services);
            });
        });
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        return req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                && req.headers().contains(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req) {
        int hardLimit = services.config().maxFrameBytes() * 4;
        String url = "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + "/ws";
        WebSocketServerHandshaker hs = new WebSocketServerHandshakerFactory(url, null, false, hardLimit).newHandshaker(req);
        if (hs == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        hs.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) ctx.close();
        });
        // Installed at once, not when the handshake write completes: a client may send its first frame
        // right behind the upgrade request, and those bytes must find the session waiting.
        if (p.get("idle") != null) p.remove("idle");
        p.addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(hardLimit));
        p.replace(this, "ws-session", new WsSession(services, services.connections().nextId("c")));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) ctx.close(); // no complete request within the handshake timeout
        else ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
