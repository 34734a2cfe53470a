package io.runcast.tool.builtin;

import io.runcast.tool.Tool;
import java.time.Clock;
import java.util.List;

/** The built-in tools, ready to register; see {@link io.runcast.tool.ToolRegistry#withBuiltins()}. */
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
}
