package io.runcast.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.runcast.event.Event;
import io.runcast.event.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

/** Encodes the server's native frames. Event frames are encoded once per event and shared by all subscribers. */
public final class Frames {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();

    private Frames() {}

    /** {@code {"op":"event","run":…,"seq":…,"id":…,"type":…,"time":…,"step":…,"agent":…,"data":{…}}} */
    public static byte[] event(Event e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160 + e.data().length());
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("op", "event");
            writeEventFields(g, e);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** The event's own fields (no op), for use inside other envelopes such as the HTTP API. */
    public static void writeEventFields(JsonGenerator g, Event e) throws IOException {
        g.writeStringField("run", e.run());
        g.writeNumberField("seq", e.seq());
        g.writeStringField("id", e.id());
        g.writeStringField("type", e.type());
        g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(e.time()));
        if (e.step() != null) g.writeStringField("step", e.step());
        if (e.agent() != null) g.writeStringField("agent", e.agent());
        g.writeFieldName("data");
        g.writeRawValue(e.data());
    }

    /** The event as a standalone JSON object without {@code op}, e.g. for SSE and HTTP reads. */
    public static String eventObject(Event e) {
        StringBuilder sb = new StringBuilder(160 + e.data().length());
        try (JsonGenerator g = FACTORY.createGenerator(new java.io.Writer() {
            @Override public void write(char[] c, int off, int len) { sb.append(c, off, len); }
            @Override public void flush() {}
            @Override public void close() {}
        })) {
            g.writeStartObject();
            writeEventFields(g, e);
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return sb.toString();
    }

    /** {@code {"op":"error","id":…,"code":…,"message":…}}; {@code requestId} may be null. */
    public static String error(Object requestId, ErrorCode code, String message) {
        var node = Json.object().put("op", "error");
        putId(node, requestId);
        node.put("code", code.wire()).put("message", message);
        return Json.write(node);
    }

    /**
     * {@code {"op":"subscribed","id":…,"run":…,"epoch":…,"head":…,"first":…,"recovered":…}};
     * {@code requestId} may be null.
     */
    public static String subscribed(Object requestId, String run, String epoch, long head, long first, boolean recovered) {
        var node = Json.object().put("op", "subscribed");
        putId(node, requestId);
        node.put("run", run).put("epoch", epoch).put("head", head).put("first", first).put("recovered", recovered);
        return Json.write(node);
    }

    /** {@code {"op":"end","run":…,"seq":…}}: the run's terminal event was delivered. */
    public static String end(String run, long seq) {
        return "{\"op\":\"end\",\"run\":" + Json.write(run) + ",\"seq\":" + seq + "}";
    }

    /** Copies a client's request id (number or string) into a reply. */
    public static void putId(com.fasterxml.jackson.databind.node.ObjectNode node, Object requestId) {
        if (requestId instanceof com.fasterxml.jackson.databind.JsonNode j) node.set("id", j);
        else if (requestId instanceof Number n) node.put("id", n.longValue());
        else if (requestId != null) node.put("id", requestId.toString());
    }
}
