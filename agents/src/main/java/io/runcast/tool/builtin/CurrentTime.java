package io.runcast.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.tool.Tool;
import io.runcast.tool.ToolContext;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code current_time}: the time now on the injected clock, in an IANA time zone (UTC when none is
 * given): ISO-8601 with offset, the weekday and Unix seconds.
 */
public final class CurrentTime implements Tool {
    public static final String NAME = "current_time";
    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ObjectNode SCHEMA = Json.parseObject("""
            {"type": "object",
             "properties": {
               "timezone": {"type": "string", "minLength": 1, "maxLength": 64,
                 "description": "An IANA time zone such as Europe/Paris or America/New_York; UTC when omitted."}
             },
             "additionalProperties": false}""");

    private final Clock clock;

    public CurrentTime(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Returns the current date and time (ISO 8601), the weekday and Unix seconds, optionally in a given time zone.";
    }

    @Override
    public ObjectNode parameters() {
        return SCHEMA.deepCopy();
    }

    @Override
    public JsonNode call(JsonNode args, ToolContext ctx) {
        ZoneId zone = args.hasNonNull("timezone") ? zone(args.get("timezone").asText().strip()) : UTC;
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), zone).truncatedTo(ChronoUnit.SECONDS);
        ObjectNode out = Json.object();
        out.put("timezone", zone.getId());
        out.put("iso", now.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        out.put("weekday", now.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        out.put("unix", now.toEpochSecond());
        return out;
    }

    private static ZoneId zone(String id) {
        // Fixed offsets such as "+02:00" are accepted too: harmless, and what a model means by them is clear.
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + id + "': use an IANA name such as Europe/Paris or UTC");
        }
    }
}
