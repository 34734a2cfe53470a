package io.runcast.seeds;

import io.runcast.seeds.fleet.FleetFormat;
import io.runcast.seeds.manager.ManagerFormat;
import io.runcast.seeds.plan.PlanPageFormat;
import io.runcast.seeds.reasoning.ReasoningFormat;
import io.runcast.seeds.research.ResearchFormat;
import io.runcast.server.RuncastServer;

/** Installs the five seed applications' formats into a started server (docs/compat.md). */
public final class Seeds {
    private Seeds() {}

    /** Adds every seed format's WebSocket paths and HTTP routes to the server. */
    public static void install(RuncastServer server) {
        server.endpoints().add(new PlanPageFormat(server.services()));
        server.endpoints().add(new ResearchFormat(server.services()));
        server.endpoints().add(new ReasoningFormat(server.services()));
        server.endpoints().add(new ManagerFormat(server.services()));
        server.endpoints().add(new FleetFormat(server.services()));
    }
}
