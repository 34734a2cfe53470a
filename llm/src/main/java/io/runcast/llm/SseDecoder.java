package io.runcast.llm;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Server-sent events from raw bytes, as the HTML spec parses them: lines end in LF, CRLF or CR; {@code data:}
 * lines accumulate (joined by LF) until a blank line dispatches them; {@code event:} names the event; lines
 * starting with {@code :} are comments (keep-alives); other fields are ignored. Lines are cut on bytes and only
 * then decoded, so a multi-byte UTF-8 character split across reads arrives whole (0x0A and 0x0D never occur
 * inside one).
 */
final class SseDecoder {

    /** Receives each dispatched event; returns false to stop decoding (after {@code [DONE]}). */
    interface Sink {
        boolean event(String type, String data);
    }

    private final Sink sink;
    private final int maxLineBytes;
    private byte[] line = new byte[256];
    private int lineLength;
    private boolean afterCr;
    private boolean stopped;
    private String type;
    private StringBuilder data;

    SseDecoder(Sink sink, int maxLineBytes) {
        this.sink = sink;
        this.maxLineBytes = maxLineBytes;
    }

    /** Decodes more bytes; returns false once the sink has asked to stop, and then ignores the rest. */
    boolean feed(byte[] bytes, int offset, int length) {
        int start = offset;
        int end = offset + length;
        for (int i = offset; i < end && !stopped; i++) {
            byte b = bytes[i];
            if (b == '\n' && afterCr) {
                afterCr = false;
                start = i + 1;
            } else if (b == '\n' || b == '\r') {
                append(bytes, start, i - start);
                afterCr = b == '\r';
                start = i + 1;
                line(new String(line, 0, lineLength, StandardCharsets.UTF_8));
                lineLength = 0;
            } else {
                afterCr = false;
            }
        }
        if (!stopped) append(bytes, start, end - start);
        return !stopped;
    }

    /** Whether the bytes so far end inside an event: a partial line, or data not yet dispatched by a blank line. */
    boolean midEvent() {
        return lineLength > 0 || data != null;
    }

    /** The data of an event the stream ended without dispatching (its blank line never came), or null. */
    String undispatched() {
        if (data == null && lineLength == 0) return null;
        StringBuilder pending = data == null ? new StringBuilder() : new StringBuilder(data);
        if (lineLength > 0) {
            String last = new String(line, 0, lineLength, StandardCharsets.UTF_8);
            if (last.startsWith("data:")) pending.append(data == null ? "" : "\n").append(value(last, 5));
        }
        return pending.toString();
    }

    private void append(byte[] bytes, int offset, int length) {
        if (length <= 0) return;
        if (lineLength + length > maxLineBytes) {
            throw new LlmException(LlmException.Kind.MALFORMED_CHUNK, "a line of the event stream is longer than " + maxLineBytes + " bytes");
        }
        if (lineLength + length > line.length) line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + length));
        System.arraycopy(bytes, offset, line, lineLength, length);
        lineLength += length;
    }

    private void line(String text) {
        if (text.isEmpty()) {
            if (data != null) {
                String payload = data.toString();
                String eventType = type;
                data = null;
                type = null;
                stopped = !sink.event(eventType, payload);
            } else {
                type = null;
            }
            return;
        }
        if (text.charAt(0) == ':') return;
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : value(text, colon + 1);
        if (field.equals("data")) {
            if (data == null) data = new StringBuilder(value);
            else data.append('\n').append(value);
            if (data.length() > maxLineBytes) {
                throw new LlmException(LlmException.Kind.MALFORMED_CHUNK, "an event of the stream is longer than " + maxLineBytes + " characters");
            }
        } else if (field.equals("event")) {
            type = value;
        }
    }

    private static String value(String text, int from) {
        return text.startsWith(" ", from) ? text.substring(from + 1) : text.substring(from);
    }
}
