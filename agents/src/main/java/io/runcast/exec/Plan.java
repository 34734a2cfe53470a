package io.runcast.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.EventDraft;
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
 * @param query   what the run is about; shown in {@code run.started}
 * @param steps   in the order they should be preferred when several are ready
 * @param info    more fields for {@code run.started} (for a chat: the conversation, the message); may be empty
 * @param prelude events streamed right after {@code run.started}, before any step starts (for a chat: the
 *                router's {@code workflow.route})
 */
public record Plan(String query, List<Step> steps, ObjectNode info, List<EventDraft> prelude) {
    public Plan {
        steps = List.copyOf(steps);
        info = info == null ? Json.object() : info.deepCopy();
        prelude = prelude == null ? List.of() : List.copyOf(prelude);
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

    public Plan(String query, List<Step> steps) {
        this(query, steps, null, null);
    }

    public static Plan of(String query, Step... steps) {
        return new Plan(query, List.of(steps));
    }

    /** This plan with more {@code run.started} fields and events to stream before its first step. */
    public Plan with(ObjectNode info, List<EventDraft> prelude) {
        return new Plan(query, steps, info, prelude);
    }

    /** The data of {@code run.started}: the query, the steps with their agents and dependencies, and {@link #info}. */
    public ObjectNode describe() {
        ObjectNode d = info.deepCopy();
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
