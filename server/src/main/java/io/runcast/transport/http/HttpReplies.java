package io.runcast.transport.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.runcast.event.Json;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * Writing HTTP answers: JSON bodies, the structured error shape, keep-alive handling. Answers are
 * written to the channel, not to the handler's context, so that they pass {@link HttpHandler#write},
 * which keeps pipelined answers in request order. Safe to call from any thread.
 */
final class HttpReplies {
    private HttpReplies() {}

    static void json(ChannelHandlerContext ctx, boolean keepAlive, int status, Object body) {
        byte[] bytes = body instanceof byte[] b ? b : (body instanceof String s ? s : Json.write(body)).getBytes(StandardCharsets.UTF_8);
        send(ctx, keepAlive, status, "application/json; charset=utf-8", bytes);
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, int status, String contentType, byte[] bytes) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(bytes));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.channel().writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.channel().writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** 204 answer to a CORS preflight: any origin may call the API, as every response says. */
    static void preflight(ChannelHandlerContext ctx, boolean keepAlive) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, DELETE, OPTIONS");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "content-type, authorization, last-event-id");
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (!keepAlive) res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        var f = ctx.channel().writeAndFlush(res);
        if (!keepAlive) f.addListener(ChannelFutureListener.CLOSE);
    }

    static void error(ChannelHandlerContext ctx, boolean keepAlive, ErrorCode code, String message) {
        ObjectNode body = Json.object();
        body.putObject("error").put("code", code.wire()).put("message", message);
        json(ctx, keepAlive, code.httpStatus(), body);
    }

    static void error(ChannelHandlerContext ctx, boolean keepAlive, Throwable err) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof RuncastException re) error(ctx, keepAlive, re.code(), re.getMessage());
        else {
            org.slf4j.LoggerFactory.getLogger(HttpReplies.class).warn("request failed", cause);
            error(ctx, keepAlive, ErrorCode.INTERNAL, "internal error");
        }
    }
}
