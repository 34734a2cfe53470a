package io.runcast.seeds.research;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.EventDraft;
import io.runcast.event.EventTypes;
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

/** Every catalogue type published to a run reaches a research client as its table's 001 event, or is documented as not sent. */
class ResearchCatalogueTest {
    static final String DATA = "{\"message\":\"m\",\"progress\":40,\"score\":0.8,\"decision\":\"d1\",\"prompt\":\"p\",\"reason\":\"r\"}";

    @Test
    void everyCatalogueType_isMappedOrDocumentedAsNotSent_inTheTableAndInCompatMd() throws Exception {
        String all = Files.readString(Path.of("..", "docs", "compat.md"));
        int a = all.indexOf("## 001");
        int b = all.indexOf("## 002", a + 1);
        assertThat(a).isGreaterThanOrEqualTo(0);
        String doc = all.substring(a, b < 0 ? all.length() : b);
        for (String type : EventTypes.CATALOGUE.keySet()) {
            assertThat(ResearchFrames.SHOWN.containsKey(type) ^ ResearchFrames.NOT_SHOWN.containsKey(type))
                    .as(type + " is either mapped or not sent").isTrue();
            assertThat(doc).as("docs/compat.md 001 names " + type).contains("`" + type + "`");
        }
        assertThat(ResearchFrames.NOT_SHOWN).containsKey(EventTypes.CUSTOM_PREFIX + "*");
        assertThat(doc).contains("`x.*`");
        for (ResearchFrames.Row row : ResearchFrames.SHOWN.values()) {
            assertThat(ResearchFrames.TYPES).as("only the project's own event types").contains(row.eventType());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"run.completed", "run.failed", "run.cancelled"})
    void everyTypePublishedToARun_isReplayedAsItsRowsEvent_orNotAtAll(String terminal) {
        try (RuncastServer server = TestServer.start()) {
            server.endpoints().add(new ResearchFormat(server.services()));
            List<String> types = new ArrayList<>();
            for (String t : EventTypes.CATALOGUE.keySet()) if (!EventTypes.isTerminal(t)) types.add(t);
            types.add("x.acme.cost");
            types.add(terminal);
            List<EventDraft> drafts = new ArrayList<>();
            for (String t : types) drafts.add(new EventDraft(t, "s1", "Agent", DATA, null));
            server.publishAndWait("all", drafts);

            List<String> expected = new ArrayList<>();
            for (String t : types) {
                ResearchFrames.Row row = ResearchFrames.SHOWN.get(t);
                if (row != null) expected.add(t + " " + row.eventType());
                else assertThat(ResearchFrames.NOT_SHOWN).containsKey(t.startsWith("x.") ? "x.*" : t);
            }
            try (FrameClient c = FrameClient.connect(server.port(), ResearchFormat.WS_PREFIX + "cat?plan_id=all")) {
                assertThat(c.next().path("event_type").asText()).isEqualTo("ping");
                List<String> got = new ArrayList<>();
                for (String t : types.stream().filter(ResearchFrames.SHOWN::containsKey).toList()) {
                    JsonNode f = c.next();
                    assertThat(f.path("plan_id").asText()).isEqualTo("all");
                    got.add(t + " " + f.path("event_type").asText());
                }
                assertThat(got).containsExactlyElementsOf(expected);
            }
        }
    }
}
