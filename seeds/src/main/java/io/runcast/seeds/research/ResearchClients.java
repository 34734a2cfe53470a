package io.runcast.seeds.research;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The research clients connected to this server, for {@code /clients} and {@code /plans/{plan_id}/subscribers}. Thread-safe. */
final class ResearchClients {
    private final Map<String, ResearchSocket> byConnection = new ConcurrentHashMap<>();

    void add(String connection, ResearchSocket socket) {
        byConnection.put(connection, socket);
    }

    void remove(String connection) {
        byConnection.remove(connection);
    }

    /** Connected client ids, each once (a client id reused by two connections is one client, as in the project). */
    List<String> clientIds() {
        Set<String> ids = new LinkedHashSet<>();
        byConnection.values().forEach(s -> ids.add(s.clientId()));
        return new ArrayList<>(ids);
    }

    /** Connections following a plan. */
    int subscribers(String plan) {
        int n = 0;
        for (ResearchSocket s : byConnection.values()) if (s.plans.contains(plan)) n++;
        return n;
    }
}
