package io.runcast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.protocol.DraftParser;
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
        for (EventDraft d : drafts) arr.add(DraftParser.toJson(d));
        return arr;
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
