package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.DraftParser;
import io.runcast.protocol.EncodedDraft;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import io.runcast.protocol.ServerLimits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The client side of the native protocol's JSON: frames it sends and replies it reads. */
final class Wire {
    private Wire() {}

    static ObjectNode subscribe(long id, ClientSubscription sub) {
        ObjectNode f = Json.object().put("op", "subscribe").put("id", id).put("run", sub.run());
        if (sub.lastSeq() > 0) f.put("since", sub.lastSeq());
        if (sub.epoch() != null) f.put("epoch", sub.epoch());
        if (!sub.types().isEmpty()) {
            ArrayNode t = f.putArray("types");
            sub.types().forEach(t::add);
        }
        return f;
    }

    static SubscribeReply subscribed(JsonNode f) {
        JsonNode epoch = f.path("epoch");
        return new SubscribeReply(f.path("run").asText(), epoch.isTextual() ? epoch.asText() : null,
                f.path("head").asLong(), f.path("first").asLong(1), f.path("recovered").asBoolean(true));
    }

    static Event event(JsonNode f) {
        JsonNode data = f.path("data");
        return new Event(f.path("run").asText(), f.path("seq").asLong(), f.path("id").asText(""), f.path("type").asText(),
                Instant.parse(f.path("time").asText()), f.path("step").asText(null), f.path("agent").asText(null),
                data.isObject() ? data.toString() : "{}");
    }

    /** Drafts as the {@code events} array of a publish (WebSocket) or the body of a POST (HTTP). */
    static ArrayNode drafts(EventDraft... drafts) {
        ArrayNode arr = Json.MAPPER.createArrayNode();
        for (EventDraft d : drafts) {
            try {
                arr.add(DraftParser.toJson(d));
            } catch (IllegalArgumentException e) {
                throw new RuncastException(ErrorCode.BAD_REQUEST, "event data is not valid JSON");
            }
        }
        return arr;
    }

    /**
     * Throws what the server would answer if a publish frame breaks its stated limits (TOO_LARGE, or
     * BAD_REQUEST for a name too long); does nothing when {@code limits} is null (none stated yet).
     */
    static void checkPublish(ServerLimits limits, ObjectNode frame, EventDraft... drafts) {
        if (limits == null) return;
        if (drafts.length > limits.maxBatch()) {
            throw new RuncastException(ErrorCode.TOO_LARGE, drafts.length + " events exceed the server's limit of "
                    + limits.maxBatch() + " per publish (max_batch)");
        }
        for (EventDraft d : drafts) {
            RuncastException no = limits.refusal(EncodedDraft.of(d));
            if (no != null) throw no;
        }
        int bytes = Json.write(frame).getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limits.maxFrameBytes()) {
            throw new RuncastException(ErrorCode.TOO_LARGE, "publish frame of " + bytes + " bytes exceeds the server's limit of "
                    + limits.maxFrameBytes() + " (max_frame_bytes)");
        }
    }

    /** The {@code accepted} array of a publish reply. */
    static List<Accepted> accepted(JsonNode reply) {
        List<Accepted> out = new ArrayList<>();
        for (JsonNode a : reply.path("accepted")) {
            out.add(new Accepted(a.path("seq").asLong(), a.path("id").asText(null), a.path("duplicate").asBoolean()));
        }
        return out;
    }
}
