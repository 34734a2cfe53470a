package io.runcast.seeds.reasoning;

import io.netty.channel.ChannelHandler;
import io.runcast.seeds.common.TurnWatchers;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoint;
import io.runcast.transport.endpoint.WsOpen;
import java.time.Duration;
import java.util.Objects;

/**
 * Seed 002, the reasoning chat: {@code /ws/chat/{session_id}} (optional {@code ?agent_name=}). Each
 * {@code chat} starts a chat run of the session's conversation and streams it as reasoning steps
 * (docs/compat.md, "002 — reasoning chat"); a turn of the session started any other way (the native
 * {@code chat} op, another client, a producer) is streamed to the session's connections too.
 */
public final class ReasoningFormat implements Endpoint {
    /** The document's "keep-alive pings every 30 seconds". */
    public static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final String PATH = "/ws/chat/";
    /** The project's own default when the URL names no agent. */
    static final String DEFAULT_AGENT_NAME = "researcher";

    private final Services services;
    private final Duration heartbeat;
    private final TurnWatchers turns;

    public ReasoningFormat(Services services) {
        this(services, HEARTBEAT);
    }

    /** @param heartbeat how often the server sends {@code {"type":"ping"}} */
    public ReasoningFormat(Services services, Duration heartbeat) {
        this.services = Objects.requireNonNull(services);
        if (heartbeat.isNegative() || heartbeat.isZero()) throw new IllegalArgumentException("heartbeat must be positive: " + heartbeat);
        this.heartbeat = heartbeat;
        this.turns = new TurnWatchers(services.feed());
    }

    @Override
    public String name() {
        return ReasoningSocket.TRANSPORT;
    }

    @Override
    public ChannelHandler webSocket(WsOpen open) {
        if (!open.path().startsWith(PATH)) return null;
        String session = open.path().substring(PATH.length());
        if (session.isEmpty() || session.contains("/")) return null;
        String agent = open.query("agent_name");
        return new ReasoningSocket(services, open.connectionId(), session, agent == null || agent.isBlank() ? DEFAULT_AGENT_NAME : agent,
                heartbeat, turns);
    }

    @Override
    public String toString() {
        return "ReasoningFormat[" + PATH + "{session_id}, heartbeat " + heartbeat + "]";
    }
}
