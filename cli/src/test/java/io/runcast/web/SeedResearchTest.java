package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.event.EventDraft;
import io.runcast.seeds.research.ResearchFormat;
import io.runcast.server.RuncastServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 001 in Chromium: the document's client example — connect with {@code ?plan_id=}, switch on
 * {@code event_type}, a progress bar from {@code data.progress} — plus its ping.
 */
class SeedResearchTest {
    static Browser browser;
    static RuncastServer server;
    static BrowserContext context;

    @BeforeAll
    static void start() {
        browser = Browser.launch();
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
        server.endpoints().add(new ResearchFormat(server.services()));
        context = browser.context(1024, 768);
    }

    @AfterAll
    static void stop() {
        if (context != null) context.close();
        if (server != null) server.close();
        if (browser != null) browser.close();
    }

    @Test
    void connectWithPlanId_getsWelcomeHistoryAndLiveEvents_andPingIsAnsweredWithPong() {
        server.publishAndWait("plan_456", List.of(
                EventDraft.of("run.started", io.runcast.event.Json.object().put("query", "Research query").put("total_steps", 1)),
                new EventDraft("step.started", "step_1", "researcher", "{\"action\":\"search\"}", null),
                new EventDraft("step.progress", "step_1", "researcher", "{\"progress\":25,\"message\":\"Processing 25%\"}", null)));
        Page page = Browser.page(context);
        page.navigate("http://127.0.0.1:" + server.port() + "/runcast.d.ts"); // same origin, no app code running
        page.evaluate("""
                (port) => {
                  document.body.innerHTML = '<div id="bar" style="width:0%">0</div><ul id="log"></ul>';
                  const state = { events: [], progress: [], started: null, results: [] };
                  window.research = state;
                  const ws = new WebSocket('ws://127.0.0.1:' + port + '/api/v1/streaming/ws/client_123?plan_id=plan_456');
                  window.researchWs = ws;
                  const updateProgressBar = (p) => { const bar = document.getElementById('bar'); bar.style.width = (p * 100) + '%'; bar.textContent = String(p); };
                  ws.onmessage = (event) => {
                    const data = JSON.parse(event.data);
                    state.events.push(data);
                    const li = document.createElement('li');
                    li.textContent = data.event_type + ' ' + data.plan_id;
                    document.getElementById('log').appendChild(li);
                    switch (data.event_type) {
                      case 'plan_started': state.started = data.data; break;
                      case 'step_progress': state.progress.push(data.data.progress); updateProgressBar(data.data.progress); break;
                      case 'step_completed': state.results.push(data.data); break;
                    }
                  };
                }
                """, server.port());
        page.waitForFunction("() => window.research.progress.length === 1");
        page.evaluate("() => window.researchWs.send(JSON.stringify({ action: 'ping', timestamp: 42 }))");
        page.waitForFunction("() => window.research.events.some((e) => e.event_type === 'pong')");

        server.publishAndWait("plan_456", List.of(
                new EventDraft("step.progress", "step_1", "researcher", "{\"progress\":50,\"message\":\"Processing 50%\"}", null),
                new EventDraft("step.completed", "step_1", "researcher", "{\"result\":{\"status\":\"success\",\"quality_score\":0.95}}", null),
                EventDraft.of("run.completed", io.runcast.event.Json.object())));
        page.waitForFunction("() => window.research.events.some((e) => e.event_type === 'plan_completed')");

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) page.evaluate("() => window.research.events");
        assertThat(events).extracting(e -> e.get("event_type")).containsExactly(
                "ping", "plan_started", "step_started", "step_progress", "pong", "step_progress", "step_completed", "plan_completed");
        assertThat(events.get(0).get("plan_id")).isEqualTo("system");
        assertThat(events.get(4).get("plan_id")).isEqualTo("system");
        @SuppressWarnings("unchecked")
        Map<String, Object> pongData = (Map<String, Object>) events.get(4).get("data");
        assertThat(pongData.get("timestamp")).isEqualTo(42);
        assertThat(page.evaluate("() => window.research.progress")).isEqualTo(List.of(0.25, 0.5));
        assertThat(page.evaluate("() => window.research.started.query")).isEqualTo("Research query");
        assertThat(page.locator("#bar").textContent()).isEqualTo("0.5");
        assertThat(page.locator("#log li").count()).isEqualTo(8);
        Browser.screenshot(page, "seed-001-research");
        page.close();
        Browser.assertNoScriptErrors();
    }
}
