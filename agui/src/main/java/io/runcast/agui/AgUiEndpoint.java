package io.runcast.agui;

import io.netty.handler.codec.http.HttpMethod;
import io.runcast.hub.ResumePoint;
import io.runcast.protocol.ErrorCode;
import io.runcast.transport.Services;
import io.runcast.transport.endpoint.Endpoint;
import io.runcast.transport.endpoint.HttpExchange;
import java.util.List;

/**
 * {@code GET /api/runs/{run}/agui}: any run — a plan, a chat, a run published over HTTP — as an AG-UI
 * 1.0 event stream over SSE. Resumes after {@code Last-Event-ID} (or {@code ?since=}), a Runcast seq:
 * the client then gets exactly the AG-UI events made from the later seqs. A client that already has
 * the whole ended run is answered 204, which stops EventSource reconnecting.
 */
final class AgUiEndpoint implements Endpoint {
    private final Services services;

    AgUiEndpoint(Services services) {
        this.services = services;
    }

    @Override
    public String name() {
        return "agui";
    }

    @Override
    public boolean http(HttpExchange x) {
        List<String> s = x.segments();
        if (x.method() != HttpMethod.GET || s.size() != 4 || !s.get(1).equals("runs") || !s.get(3).equals("agui")) return false;
        String run = s.get(2);
        long after;
        try {
            String last = x.header("Last-Event-ID");
            if (last == null || last.isBlank()) last = x.query("since");
            after = last == null || last.isBlank() ? 0 : Long.parseLong(last.trim());
            if (after < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            x.error(ErrorCode.BAD_REQUEST, "Last-Event-ID / since must be a non-negative integer");
            return true;
        }
        try {
            services.engine().checkRun(run);
            if (after > 0 && ResumePoint.of(services.engine().info(run), after, null).complete()) {
                x.send(204, "text/plain", new byte[0]);
                return true;
            }
        } catch (RuntimeException e) {
            x.error(e);
            return true;
        }
        x.stream(run, new AgUiView(run, after));
        return true;
    }
}
