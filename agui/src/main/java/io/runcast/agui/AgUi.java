package io.runcast.agui;

import io.runcast.server.RuncastServer;

/** Installs the AG-UI view of runs into a started server ({@code GET /api/runs/{run}/agui}; docs/compat.md). */
public final class AgUi {
    private AgUi() {}

    public static void install(RuncastServer server) {
        server.endpoints().add(new AgUiEndpoint(server.services()));
    }
}
