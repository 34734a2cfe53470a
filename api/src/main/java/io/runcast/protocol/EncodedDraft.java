package io.runcast.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A draft written once as the producer JSON a publish carries ({@code {"type","step","agent","key","data"}}),
 * with the sizes the server's limits are checked against. Producers measure batches with it and then
 * send the same text, so what was measured is what is sent.
 *
 * @param draft       the draft, as given
 * @param json        its producer JSON object
 * @param bytes       the UTF-8 length of {@code json}
 * @param dataLength  the length of {@code data} as the server measures it: its compact JSON text
 */
public record EncodedDraft(EventDraft draft, String json, int bytes, int dataLength) {

    /** Encodes a draft; throws BAD_REQUEST if its data is not a JSON object, as the server would answer. */
    public static EncodedDraft of(EventDraft d) {
        JsonNode data;
        try {
            data = Json.parse(d.data());
        } catch (IllegalArgumentException e) {
            throw new RuncastException(ErrorCode.BAD_REQUEST, "event data is not valid JSON");
        }
        if (!data.isObject()) throw new RuncastException(ErrorCode.BAD_REQUEST, "event.data must be a JSON object");
        // The server re-writes data compactly before measuring it; measure the same text.
        String compact = Json.write(data);
        StringWriter out = new StringWriter(compact.length() + 96);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", d.type());
            if (d.step() != null) g.writeStringField("step", d.step());
            if (d.agent() != null) g.writeStringField("agent", d.agent());
            if (d.key() != null) g.writeStringField("key", d.key());
            g.writeFieldName("data");
            g.writeRawValue(compact);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String json = out.toString();
        return new EncodedDraft(d, json, json.getBytes(StandardCharsets.UTF_8).length, compact.length());
    }

    /** The UTF-8 length of a JSON array of these items: brackets plus a comma between each two. */
    public static int arrayBytes(int itemBytes, int items) {
        return itemBytes + 2 + Math.max(0, items - 1);
    }
}
