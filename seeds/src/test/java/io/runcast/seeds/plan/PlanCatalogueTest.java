package io.runcast.seeds.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
import io.runcast.event.Json;
import io.runcast.seeds.testing.FrameClient;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every catalogue type published to a run reaches the plan page as its table's frame, or is documented as not shown. */
class PlanCatalogueTest {
    /** Data that gives every row something to show. */
    static final String DATA = "{\"content\":\"c\",\"message\":\"m\",\"text\":\"t\",\"prompt\":\"p\",\"decision\":\"d1\","
            + "\"tool\":\"calc\",\"output\":\"4\",\"stage\":\"plan\",\"progress\":10,\"score\":0.9,\"reason\":\"r\"}";

    static List<String> nonTerminal() {
        List<String> types = new ArrayList<>();
        for (String t : EventTypes.CATALOGUE.keySet()) if (!EventTypes.isTerminal(t)) types.add(t);
        types.add("x.acme.cost");
        return types;
    }

    @Test
    void everyCatalogueType_isShownOrDocumentedAsNotShown_inTheTableAndInCompatMd() throws Exception {
        String doc = section(Files.readString(Path.of("..", "docs", "compat.md")), "## 000", "## 001");
        for (String type : EventTypes.CATALOGUE.keySet()) {
            assertThat(PlanFrames.SHOWN.containsKey(type) ^ PlanFrames.NOT_SHOWN.containsKey(type))
                    .as(type + " is either shown or not shown").isTrue();
            assertThat(doc).as("docs/compat.md 000 names " + type).contains("`" + type + "`");
        }
        assertThat(PlanFrames.NOT_SHOWN).containsKey(EventTypes.CUSTOM_PREFIX + "*");
        assertThat(doc).contains("`x.*`");
    }

    static String section(String doc, String from, String to) {
        int a = doc.indexOf(from);
        int b = doc.indexOf(to, a + 1);
        assertThat(a).as("section " + from).isGreaterThanOrEqualTo(0);
        return doc.substring(a, b < 0 ? doc.length() : b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"run.completed", "run.failed", "run.cancelled"})
    void everyTypePublishedToARun_arrivesAsItsRowsFrame_orNotAtAll(String terminal) {
        try (RuncastServer server = TestServer.start()) {
            server.endpoints().add(new PlanPageFormat(server.services()));
            try (FrameClient c = FrameClient.connect(server.port(), PlanPageFormat.PATH)) {
                c.send(Json.object().put("type", "subscribe_plan").put("plan_id", "all"));
                assertThat(c.next().path("type").asText()).isEqualTo("subscription_confirmed");
                long deadline = System.currentTimeMillis() + 5000;
                while (server.services().hub().subscribers("all") == 0 && System.currentTimeMillis() < deadline) Thread.onSpinWait();

                List<String> types = nonTerminal();
                types.add(terminal);
                List<EventDraft> drafts = new ArrayList<>();
                for (String t : types) drafts.add(new EventDraft(t, "s1", "Agent", DATA, null));
                server.publishAndWait("all", drafts);

                List<String> expected = new ArrayList<>();
                for (String t : types) {
                    PlanFrames.Row row = PlanFrames.row(t);
                    if (row != null) expected.add(t + " " + row.frame() + "/" + row.messageType());
                    else assertThat(PlanFrames.NOT_SHOWN).containsKey(t.startsWith("x.") ? "x.*" : t);
                }
                List<String> got = new ArrayList<>();
                List<String> shownTypes = types.stream().filter(t -> PlanFrames.row(t) != null).toList();
                for (String t : shownTypes) {
                    JsonNode f = c.next();
                    assertThat(f.path("data").path("content").asText()).as(t + " has content").isNotBlank();
                    got.add(t + " " + f.path("type").asText() + "/" + f.path("data").path("message_type").asText());
                }
                assertThat(got).containsExactlyElementsOf(expected);
            }
        }
    }
}
