package io.runcast.transport.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.event.TypeFilter;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.HttpExchange;
import io.runcast.transport.endpoint.SseView;
import io.runcast.transport.sse.SseSession;

import java.io.IOException;
import java.util.List;

/** The {@link HttpExchange} of a request this package's handler received. */
final class NettyExchange implements HttpExchange {
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest req;
    private final QueryStringDecoder uri;
    private final boolean keepAlive;
    private final int maxBodyBytes;
    private final Services services;

    NettyExchange(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, boolean keepAlive, Services services) {
        this.ctx = ctx;
        this.services = services;
        this.req = req;
        this.uri = uri;
        this.keepAlive = keepAlive;
        this.maxBodyBytes = services.config().maxFrameBytes();
    }

    @Override
    public HttpMethod method() {
        return req.method();
    }

    @Override
    public String path() {
        return uri.path();
    }

    @Override
    public List<String> segments() {
        String[] raw = uri.path().substring(1).split("/", -1);
        return java.util.Arrays.stream(raw).map(QueryStringDecoder::decodeComponent).toList();
    }

    @Override
    public String query(String name) {
        return ApiRoutes.param(uri, name);
    }

    @Override
    public String header(String name) {
        return req.headers().get(name);
    }

    @Override
    public String remote() {
        return "http:" + ctx.channel().remoteAddress();
    }

    @Override
    public JsonNode body() {
        return body(req, maxBodyBytes);
    }

    /** A request's JSON body, refused as the API refuses bodies: TOO_LARGE over the limit, BAD_JSON empty or not JSON. */
    static JsonNode body(FullHttpRequest req, int maxBodyBytes) {
        int size = req.content().readableBytes();
        if (size > maxBodyBytes) throw new RuncastException(ErrorCode.TOO_LARGE, "body of " + size + " bytes exceeds " + maxBodyBytes);
        if (size == 0) throw new RuncastException(ErrorCode.BAD_JSON, "the body is empty; send JSON");
        try {
            return Json.MAPPER.readTree((java.io.InputStream) new ByteBufInputStream(req.content().duplicate()));
        } catch (IOException e) {
            throw new RuncastException(ErrorCode.BAD_JSON, "body is not valid JSON");
        }
    }

    @Override
    public JsonNode bodyOrEmpty() {
        return req.content().isReadable() ? body() : Json.object();
    }

    @Override
    public void json(int status, Object body) {
        HttpReplies.json(ctx, keepAlive, status, body);
    }

    @Override
    public void send(int status, String contentType, byte[] bytes) {
        HttpReplies.send(ctx, keepAlive, status, contentType, bytes);
    }

    @Override
    public void error(ErrorCode code, String message) {
        HttpReplies.error(ctx, keepAlive, code, message);
    }

    @Override
    public void error(Throwable failure) {
        HttpReplies.error(ctx, keepAlive, failure);
    }

    @Override
    public void stream(String run, SseView view) {
        // the pipeline belongs to the event loop: the session replaces the HTTP handler there
        ctx.executor().execute(() -> SseSession.open(ctx, run, null, null, TypeFilter.ALL, services, view));
    }
}
