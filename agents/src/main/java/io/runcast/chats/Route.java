package io.runcast.chats;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.util.List;

/**
 * The router's choice for one request, streamed as {@code workflow.route}.
 *
 * @param light      true for the light pipeline ({@code respond} alone), false for the full one
 * @param confidence how sure the router is that the ask is simple, 0..1
 * @param threshold  the confidence at or above which {@code auto} picks the light pipeline
 * @param mode       {@code auto}, or {@code light}/{@code full} when configuration or the request forced it
 * @param reason     the signals that decided it, for people reading the stream
 */
public record Route(boolean light, double confidence, double threshold, String mode, String reason) {
    public List<String> steps() {
        return light ? List.of("respond") : List.of("analyze", "respond", "review");
    }

    public ObjectNode toJson() {
        ObjectNode o = Json.object().put("pipeline", light ? "light" : "full")
                .put("confidence", Math.round(confidence * 100) / 100.0).put("threshold", threshold)
                .put("mode", mode).put("reason", reason);
        steps().forEach(o.putArray("steps")::add);
        return o;
    }
}
