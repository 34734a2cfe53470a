package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSE endpoint from a real browser's EventSource, including its own reconnect with Last-Event-ID. */
class EventSourceTest {
    @Test
    void browserEventSource_getsEveryEventOnce_acrossAServerSideDrop() {
        Browser browser = Browser.launch();
        RuncastServer server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
        BrowserContext context = browser.context(800, 600);
        try {
            Page page = Browser.page(context);
            page.navigate("http://127.0.0.1:" + server.port() + "/runcast.d.ts");
            for (int i = 0; i < 5; i++) server.publishAndWait("es-1", List.of(EventDraft.of("log.line", Json.object().put("i", i))));
            page.evaluate("""
                    () => {
                      window.got = []; window.ended = false;
                      const es = new EventSource('/api/runs/es-1/stream');
                      es.onmessage = (m) => window.got.push(JSON.parse(m.data).seq);
                      es.addEventListener('end', () => { window.ended = true; es.close(); });
                    }
                    """);
            page.waitForFunction("() => window.got.length === 5");
            // drop every SSE connection from the server side; EventSource reconnects with Last-Event-ID
            server.services().connections().closeAll(io.runcast.protocol.CloseCode.GOING_AWAY);
            for (int i = 5; i < 10; i++) server.publishAndWait("es-1", List.of(EventDraft.of("log.line", Json.object().put("i", i))));
            server.publishAndWait("es-1", List.of(EventDraft.of("run.completed", Json.object())));
            page.waitForFunction("() => window.ended", null, new Page.WaitForFunctionOptions().setTimeout(15_000));
            @SuppressWarnings("unchecked")
            List<Number> got = (List<Number>) page.evaluate("() => window.got");
            assertThat(got.stream().map(Number::longValue).toList()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            Browser.assertNoScriptErrors();
        } finally {
            context.close();
            server.close();
            browser.close();
        }
    }
}
