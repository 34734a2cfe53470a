package io.runcast.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.store.TestClock;
import io.runcast.tool.Tool;
import io.runcast.tool.ToolContext;
import io.runcast.tool.ToolRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NotesTest {
    private final TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final Notes notes = new Notes(clock);
    private final Tool save = notes.saveTool();
    private final Tool search = notes.searchTool();

    private JsonNode call(Tool t, String args) throws Exception {
        return t.call(Json.parse(args), ToolContext.standalone("c"));
    }

    @Test
    void saveNote_requiresApproval_andStoresTheNoteInMemory() throws Exception {
        assertThat(save.requiresApproval()).isTrue();
        assertThat(search.requiresApproval()).isFalse();
        JsonNode saved = call(save, "{\"title\":\" Groceries \",\"text\":\"milk, eggs\"}");
        assertThat(saved).isEqualTo(Json.parse("""
                {"id": 1, "title": "Groceries", "text": "milk, eggs", "saved_at": "2030-01-01T00:00:00Z"}"""));
        assertThat(notes.list()).extracting(Notes.Note::title).containsExactly("Groceries");
    }

    @Test
    void searchNotes_ranksByMatchedWords_thenOldestFirst_ignoringCase() throws Exception {
        call(save, "{\"title\":\"Groceries\",\"text\":\"milk and eggs\"}");
        clock.advance(Duration.ofMinutes(1));
        call(save, "{\"title\":\"Trip\",\"text\":\"Pack the EGGS for the picnic\"}");
        call(save, "{\"title\":\"Work\",\"text\":\"call Alice\"}");
        call(save, "{\"title\":\"Milk run\",\"text\":\"nothing else\"}");

        JsonNode r = call(search, "{\"query\":\"Milk, eggs!\"}");
        assertThat(r.path("count").asInt()).isEqualTo(3);
        assertThat(r.path("notes").findValuesAsText("title")).containsExactly("Groceries", "Trip", "Milk run");
        assertThat(r.path("notes").get(1).path("saved_at").asText()).isEqualTo("2030-01-01T00:01:00Z");
        assertThat(call(search, "{\"query\":\"eggs\",\"limit\":1}").path("notes").findValuesAsText("title")).containsExactly("Groceries");
        assertThat(call(search, "{\"query\":\"zebra\"}").path("count").asInt()).isZero();
    }

    @Test
    void theSchemas_requireTheirFields() {
        ToolRegistry r = new ToolRegistry().register(save).register(search);
        assertThat(r.validate("save_note", Json.parse("{\"title\":\"t\"}"))).singleElement().asString().contains("'text'");
        assertThat(r.validate("search_notes", Json.parse("{\"query\":\"x\",\"limit\":50}"))).singleElement().asString().contains("$.limit");
    }
}
