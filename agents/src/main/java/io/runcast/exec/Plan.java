package io.runcast.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Steps with dependencies. Validated on construction: unique ids, known dependencies, no cycles.
 *
 * @param query what the run is about; shown in {@code run.started}
 * @param steps in the order they should be preferred when several are ready
 */
public record Plan(String query, List<Step> steps) {
    public Plan {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) throw new IllegalArgumentException("a plan needs at least one step");
        Map<String, Step> byId = new HashMap<>();
        for (Step s : steps) {
            if (byId.put(s.id(), s) != null) throw new IllegalArgumentException("duplicate step id " + s.id());
        }
        for (Step s : steps) {
            for (String d : s.after()) {
                if (!byId.containsKey(d)) throw new IllegalArgumentException("step " + s.id() + " depends on unknown step " + d);
            }
        }
        checkAcyclic(steps, byId);
    }

    public static Plan of(String query, Step... steps) {
        return new Plan(query, List.of(steps));
    }

    /** The data of {@code run.started}: the query and the steps with their agents and dependencies. */
    public ObjectNode describe() {
        ObjectNode d = Json.object();
        if (query != null) d.put("query", query);
        d.put("total_steps", steps.size());
        ArrayNode arr = d.putArray("steps");
        for (Step s : steps) {
            ObjectNode o = arr.addObject();
            o.put("id", s.id());
            o.put("agent", s.agentName());
            s.after().forEach(o.putArray("after")::add);
        }
        return d;
    }

    private static void checkAcyclic(List<Step> steps, Map<String, Step> byId) {
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        for (Step s : steps) visit(s, byId, done, onPath, new ArrayList<>());
    }

    private static void visit(Step s, Map<String, Step> byId, Set<String> done, Set<String> onPath, List<String> path) {
        if (done.contains(s.id())) return;
        path.add(s.id());
        if (!onPath.add(s.id())) throw new IllegalArgumentException("dependency cycle: " + String.join(" -> ", path));
        for (String d : s.after()) visit(byId.get(d), byId, done, onPath, path);
        onPath.remove(s.id());
        path.remove(path.size() - 1);
        done.add(s.id());
    }
}
