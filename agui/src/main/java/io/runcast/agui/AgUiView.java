package io.runcast.agui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.hub.EncodedEvent;
import io.runcast.hub.Subscribed;
import io.runcast.protocol.RuncastException;
import io.runcast.transport.endpoint.SseView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One AG-UI stream of a run. It maps every event from the run's start (so the mapping's state is
 * right) and writes only the AG-UI events made from seqs after {@code after}, the client's
 * {@code Last-Event-ID}. Of the AG-UI events one Runcast event yields, only the last carries
 * {@code id: <seq>}: a client cut off inside the group resumes from the previous seq and gets the
 * whole group again, never half of it.
 *
 * <p>Not shared between streams: the mapping is per stream (see {@link AgUiMapper}), so the bytes
 * are made per stream too, unlike the native SSE's.
 */
final class AgUiView implements SseView {
    private final AgUiMapper mapper;
    private final long after;

    AgUiView(String run, long after) {
        this.mapper = new AgUiMapper(run);
        this.after = after;
    }

    @Override
    public String transport() {
        return "agui";
    }

    @Override
    public byte[] subscribed(Subscribed info) {
        return null; // AG-UI has no such event; the stream opens with RUN_STARTED
    }

    @Override
    public byte[] event(EncodedEvent e) {
        List<ObjectNode> events = mapper.map(e.event());
        if (e.seq() <= after || events.isEmpty()) return null;
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 * events.size());
        for (int i = 0; i < events.size(); i++) {
            if (i == events.size() - 1) out.writeBytes(("id: " + e.seq() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(Json.write(events.get(i)).getBytes(StandardCharsets.UTF_8));
            out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @Override
    public byte[] end(String run, long seq) {
        return null; // the terminal event was mapped already; never a second one
    }

    @Override
    public byte[] failed(RuncastException error) {
        if (mapper.ended()) return null;
        // the stream cannot go on: the run, as this client sees it, ends with an error
        ObjectNode e = AgUiEvents.runError(System.currentTimeMillis(), error.getMessage(), error.code().wire());
        return ("data: " + Json.write(e) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
