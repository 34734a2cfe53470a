package io.runcast.seeds.fleet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpMethod;
import io.runcast.event.Event;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.event.RunStatus;
import io.runcast.store.RunInfo;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.HttpExchange;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /api/sessions}, {@code GET} and {@code DELETE /api/sessions/{workflow_id}}: Runcast's runs
 * as the project's workflow sessions ({@code workflow_id} = the run id).
 */
final class FleetSessions {
    static final int LISTED = 100;

    private final Services services;

    FleetSessions(Services services) {
        this.services = services;
    }

    /** Answers a route under {@code /api/sessions}. */
    void serve(HttpExchange ex, List<String> segments) {
        if (segments.size() == 2) {
            if (!ex.method().equals(HttpMethod.GET)) {
                FleetFormat.detail(ex, 405, "Method not allowed");
                return;
            }
            ArrayNode list = Json.MAPPER.createArrayNode();
            for (RunInfo info : services.engine().list(LISTED, false)) list.add(session(info));
            ex.json(200, list);
            return;
        }
        String workflow = segments.get(2);
        Optional<RunInfo> info = services.engine().info(workflow);
        if (info.isEmpty()) {
            FleetFormat.detail(ex, 404, "Session not found: " + workflow);
        } else if (ex.method().equals(HttpMethod.GET)) {
            ex.json(200, session(info.get()));
        } else if (ex.method().equals(HttpMethod.DELETE)) {
            if (info.get().closed()) {
                FleetFormat.detail(ex, 409, "Session " + workflow + " already " + status(info.get().status()));
                return;
            }
            try {
                services.control().cancel(workflow, "http:" + ex.remote(), "deleted through /api/sessions")
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // it ended meanwhile: answer with what it is now
            }
            ex.json(200, session(services.engine().info(workflow).orElse(info.get())));
        } else {
            FleetFormat.detail(ex, 405, "Method not allowed");
        }
    }

    /** The project's WorkflowSession. */
    ObjectNode session(RunInfo info) {
        ObjectNode s = Json.object().put("workflow_id", info.run());
        List<Event> first = services.engine().read(info.run(), 0, 1).events();
        ObjectNode started = !first.isEmpty() && first.get(0).type().equals(EventTypes.RUN_STARTED) ? first.get(0).dataNode() : Json.object();
        s.put("task", started.path("message").asText(started.path("query").asText("")));
        s.put("status", status(info.status()));
        s.put("created_at", FleetEvents.iso(info.createdAt()));
        s.put("started_at", FleetEvents.iso(info.createdAt()));
        if (info.closed()) s.put("completed_at", FleetEvents.iso(info.updatedAt()));
        String effort = started.path("options").path("reasoning_effort").asText(null);
        if (effort != null) s.put("reasoning_effort", effort);
        return s;
    }

    /** The project has no "paused": a paused run is still running as far as its UI is concerned. */
    static String status(RunStatus status) {
        return status == RunStatus.PAUSED ? "running" : status.wire();
    }
}
