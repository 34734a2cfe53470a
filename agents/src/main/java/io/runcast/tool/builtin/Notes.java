package io.runcast.tool.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.tool.Tool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A notebook the model can write to ({@code save_note}, which a person approves) and search
 * ({@code search_notes}). Notes live in this object's memory only: they are gone when the process ends,
 * and past {@link #MAX_NOTES} the oldest is dropped. Thread-safe; search is deterministic.
 */
public final class Notes {
    public static final String SAVE = "save_note";
    public static final String SEARCH = "search_notes";
    public static final int MAX_NOTES = 1_000;

    /** One saved note; ids count up from 1. */
    public record Note(int id, String title, String text, Instant savedAt) {}

    private final Clock clock;
    private final List<Note> notes = new ArrayList<>();
    private int nextId = 1;

    public Notes(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public synchronized Note save(String title, String text) {
        Note n = new Note(nextId++, title.strip(), text.strip(), clock.instant());
        notes.add(n);
        if (notes.size() > MAX_NOTES) notes.remove(0);
        return n;
    }

    public synchronized List<Note> list() {
        return List.copyOf(notes);
    }

    /**
     * Notes containing any word of the query (case-insensitive, in the title or the text), those matching
     * more distinct words first, then oldest first; at most {@code limit}.
     */
    public List<Note> search(String query, int limit) {
        Set<String> words = new LinkedHashSet<>(List.of(query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")));
        words.remove("");
        record Scored(Note note, long score) {}
        return list().stream()
                .map(n -> {
                    String hay = (n.title + " " + n.text).toLowerCase(Locale.ROOT);
                    return new Scored(n, words.stream().filter(hay::contains).count());
                })
                .filter(s -> s.score > 0)
                .sorted(Comparator.comparingLong(Scored::score).reversed().thenComparingInt(s -> s.note.id))
                .limit(limit)
                .map(Scored::note)
                .toList();
    }

    /** {@code save_note}: needs a person's approval for every call. */
    public Tool saveTool() {
        return Tool.named(SAVE)
                .describedAs("Saves a note with a title and a text so it can be found later with search_notes. A person approves each save.")
                .parameters("""
                        {"type": "object",
                         "properties": {
                           "title": {"type": "string", "minLength": 1, "maxLength": 200},
                           "text": {"type": "string", "minLength": 1, "maxLength": 20000}
                         },
                         "required": ["title", "text"],
                         "additionalProperties": false}""")
                .needsApproval()
                .handler((args, ctx) -> json(save(args.get("title").asText(), args.get("text").asText())));
    }

    /** {@code search_notes}: finds saved notes by words. */
    public Tool searchTool() {
        return Tool.named(SEARCH)
                .describedAs("Searches the saved notes for words in their title or text; best matches first.")
                .parameters("""
                        {"type": "object",
                         "properties": {
                           "query": {"type": "string", "minLength": 1, "maxLength": 500},
                           "limit": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5}
                         },
                         "required": ["query"],
                         "additionalProperties": false}""")
                .handler((args, ctx) -> {
                    List<Note> found = search(args.get("query").asText(), args.path("limit").asInt(5));
                    ObjectNode out = Json.object();
                    out.put("query", args.get("query").asText());
                    out.put("count", found.size());
                    ArrayNode arr = out.putArray("notes");
                    found.forEach(n -> arr.add(json(n)));
                    return out;
                });
    }

    private static ObjectNode json(Note n) {
        ObjectNode o = Json.object();
        o.put("id", n.id);
        o.put("title", n.title);
        o.put("text", n.text);
        o.put("saved_at", n.savedAt.toString());
        return o;
    }
}
