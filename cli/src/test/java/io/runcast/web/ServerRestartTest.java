package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard across a restart of a SQLite-backed server on the same port: it says so, then catches up. */
class ServerRestartTest {
    @Test
    void serverRestart_pageReconnectsAndShowsEveryEventOnce(@TempDir Path dir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RuncastConfig cfg = RuncastConfig.builder().port(port).store("sqlite").dataDir(dir).build();
        String run = "restart-1";
        try (Browser browser = Browser.launch()) {
            BrowserContext ctx = browser.context(1024, 800);
            Page page = Browser.page(ctx);
            RuncastServer first = RuncastServer.start(cfg);
            first.publishAndWait(run, List.of(EventDraft.of("run.started", Json.object())));
            first.publishAndWait(run, thoughts(2, 10));
            page.navigate("http://127.0.0.1:" + port + "/#/runs/" + run);
            page.waitForFunction("r => (window.runcast.delivered[r] || []).length === 10", run);

            first.close();
            page.locator("#conn.reconnecting").waitFor();
            Browser.screenshot(page, "server-restart-reconnecting");
            try (RuncastServer second = RuncastServer.start(cfg)) {
                second.publishAndWait(run, thoughts(11, 20));
                second.publishAndWait(run, List.of(EventDraft.of("run.completed", Json.object())));
                page.locator("#run-status.completed").waitFor();
                page.locator("#conn.open").waitFor();
                @SuppressWarnings("unchecked")
                List<Number> delivered = (List<Number>) page.evaluate("r => window.runcast.delivered[r]", run);
                assertThat(delivered.stream().map(Number::longValue).toList()).isEqualTo(LongStream.rangeClosed(1, 21).boxed().toList());
                assertThat(page.locator("#timeline .ev").count()).isEqualTo(21);
                Browser.screenshot(page, "server-restart-caught-up");
            }
            ctx.close();
            Browser.assertNoScriptErrors();
        }
    }

    private static List<EventDraft> thoughts(int from, int to) {
        List<EventDraft> out = new ArrayList<>();
        for (int i = from; i <= to; i++) out.add(EventDraft.of("agent.thinking", Json.object().put("content", "thought " + i)));
        return out;
    }
}
