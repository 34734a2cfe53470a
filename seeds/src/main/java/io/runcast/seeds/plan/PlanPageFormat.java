package io.runcast.seeds.plan;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.runcast.event.Json;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoint;
import io.runcast.transport.endpoint.HttpExchange;
import io.runcast.transport.endpoint.WsOpen;
import java.time.Duration;
import java.util.List;

/**
 * Seed 000, the plan page: the WebSocket {@code /ws/streaming} and {@code POST /api/test/streaming/{plan_id}},
 * which starts the sample plan run and answers {@code {"status":"success","message":…}} at once.
 * Install with {@code server.endpoints().add(new PlanPageFormat(server.services()))}.
 */
public final class PlanPageFormat implements Endpoint {
    public static final String NAME = "seed-000";
    public static final String PATH = "/ws/streaming";
    /** The pause between the sample plan's events: slow enough to watch the page fill. */
    public static final Duration DEFAULT_SAMPLE_PAUSE = Duration.ofMillis(600);

    private final Services services;
    private final SamplePlan sample;

    public PlanPageFormat(Services services) {
        this(services, DEFAULT_SAMPLE_PAUSE);
    }

    /** @param samplePause the pause between the sample plan's events (tests shorten it) */
    public PlanPageFormat(Services services, Duration samplePause) {
        this.services = services;
        this.sample = new SamplePlan(services.engine(), samplePause);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ChannelHandler webSocket(WsOpen open) {
        return PATH.equals(open.path()) ? new PlanPageSocket(services, open.connectionId()) : null;
    }

    @Override
    public boolean http(HttpExchange ex) {
        List<String> s = ex.segments();
        if (s.size() != 4 || !s.get(0).equals("api") || !s.get(1).equals("test") || !s.get(2).equals("streaming")) return false;
        if (!HttpMethod.POST.equals(ex.method())) {
            ex.json(405, answer("error", "use POST to start the sample plan"));
            return true;
        }
        String plan = s.get(3);
        try {
            sample.start(plan);
            ex.json(200, answer("success", "Sample plan streaming started for plan " + plan));
        } catch (RuncastException e) {
            ex.json(e.code().httpStatus(), answer("error", e.getMessage()).put("code", e.code().wire()));
        }
        return true;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode answer(String status, String message) {
        return Json.object().put("status", status).put("message", message);
    }
}
