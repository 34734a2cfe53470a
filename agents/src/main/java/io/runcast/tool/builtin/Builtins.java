package io.runcast.tool.builtin;

import io.runcast.tool.Tool;
import io.runcast.tool.ToolRegistry;
import java.time.Clock;
import java.util.List;

/** The built-in tools, ready to register, or a registry holding them. */
public final class Builtins {
    private Builtins() {}

    /**
     * {@code calculator}, {@code current_time}, {@code fetch_url} (private addresses refused),
     * {@code save_note} and {@code search_notes} sharing one new in-memory {@link Notes}.
     */
    public static List<Tool> all(Clock clock) {
        Notes notes = new Notes(clock);
        return List.of(new Calculator(), new CurrentTime(clock), new FetchUrl(), notes.saveTool(), notes.searchTool());
    }

    /** A new registry with the built-ins on the system clock; its notes live in its memory only. */
    public static ToolRegistry registry() {
        return registry(Clock.systemUTC());
    }

    /** The built-ins on the given clock (what {@code current_time} reports and notes are stamped with). */
    public static ToolRegistry registry(Clock clock) {
        ToolRegistry r = new ToolRegistry();
        all(clock).forEach(r::register);
        return r;
    }
}
