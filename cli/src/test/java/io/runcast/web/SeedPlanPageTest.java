package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.event.EventDraft;
import io.runcast.seeds.plan.PlanPageFormat;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TcpProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 000's plan page in Chromium: a page script equivalent to the project's WebSocketService
 * (reconnect with exponential backoff, re-subscribing every plan on reconnect) and PlanPage (which
 * also subscribes whenever the connection status turns connected — so twice after a reconnect), whose
 * listeners get only {@code data} and drop messages without {@code content}.
 */
class SeedPlanPageTest {
    /** The project's service and page, reduced to what touches the wire; installed once per page. */
    static final String CLIENT = """
            (args) => {
              class WebSocketService {
                constructor(url) {
                  this.url = url; this.ws = null; this.reconnectAttempts = 0; this.maxReconnectAttempts = 5;
                  this.reconnectDelay = 100; this.listeners = new Map(); this.planSubscriptions = new Set();
                }
                connect() {
                  return new Promise((resolve, reject) => {
                    this.ws = new WebSocket(this.url);
                    this.ws.onopen = () => { this.reconnectAttempts = 0; this.emit('connection_status', { connected: true }); resolve(); };
                    this.ws.onmessage = (event) => { this.handleMessage(JSON.parse(event.data)); };
                    this.ws.onclose = () => { this.emit('connection_status', { connected: false }); this.attemptReconnect(); };
                    this.ws.onerror = (error) => { this.emit('error', { error: 'WebSocket connection failed' }); reject(error); };
                  });
                }
                subscribeToPlan(planId) {
                  if (this.ws && this.ws.readyState === WebSocket.OPEN) {
                    this.ws.send(JSON.stringify({ type: 'subscribe_plan', plan_id: planId }));
                    this.planSubscriptions.add(planId);
                  }
                }
                on(type, cb) { if (!this.listeners.has(type)) this.listeners.set(type, new Set()); this.listeners.get(type).add(cb); }
                emit(type, data) {
                  const message = { type, data, timestamp: new Date().toISOString() };
                  (this.listeners.get(type) || []).forEach((cb) => cb(message));
                }
                handleMessage(message) { if (message.type) this.emit(message.type, message.data); this.emit('message', message); }
                attemptReconnect() {
                  if (this.reconnectAttempts >= this.maxReconnectAttempts) return;
                  this.reconnectAttempts++;
                  const delay = this.reconnectDelay * Math.pow(2, this.reconnectAttempts - 1);
                  setTimeout(() => {
                    this.connect().then(() => this.planSubscriptions.forEach((id) => this.subscribeToPlan(id))).catch(() => {});
                  }, delay);
                }
              }
              const page = { messages: [], opens: 0, closes: 0, confirmations: 0 };
              window.planPage = page;
              const service = new WebSocketService(args.wsUrl);
              service.on('connection_status', (m) => {
                if (m.data.connected) { page.opens++; service.subscribeToPlan(args.planId); } else page.closes++;
              });
              service.on('subscription_confirmed', () => page.confirmations++);
              const show = (m) => {
                if (!m.data || !m.data.content) return; // the page drops messages without content
                page.messages.push({ type: m.type, content: m.data.content, status: m.data.status,
                                     message_type: m.data.message_type, plan_id: m.data.plan_id, event_id: m.data.event_id });
                const li = document.createElement('li');
                li.textContent = m.data.content;
                document.getElementById('chat').appendChild(li);
              };
              ['plan_update', 'step_update', 'agent_message'].forEach((t) => service.on(t, show));
              document.body.innerHTML = '<ul id="chat"></ul>';
              service.connect().catch(() => {});
            }
            """;

    static Browser browser;
    static RuncastServer server;
    static BrowserContext context;
    Page page;

    @BeforeAll
    static void start() {
        browser = Browser.launch();
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
        server.endpoints().add(new PlanPageFormat(server.services(), Duration.ofMillis(40)));
        context = browser.context(1024, 768);
    }

    @AfterEach
    void noScriptErrors() {
        if (page != null) page.close();
        Browser.assertNoScriptErrors();
    }

    @AfterAll
    static void stop() {
        if (context != null) context.close();
        if (server != null) server.close();
        if (browser != null) browser.close();
    }

    Page open(String wsUrl, String plan) {
        page = Browser.page(context);
        page.navigate("http://127.0.0.1:" + server.port() + "/runcast.d.ts"); // same origin, no app code running
        page.evaluate(CLIENT, Map.of("wsUrl", wsUrl, "planId", plan));
        return page;
    }

    static void waitFor(BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("condition not met within 10 s");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    long watchers(String plan) {
        return server.services().connections().list().stream()
                .filter(c -> c.transport().equals(PlanPageFormat.NAME) && c.runs().contains(plan)).count();
    }

    @Test
    void connectionDroppedMidRun_thePageReconnects_subscribesTwice_andItsListenersGetEachLaterEventOnce() throws Exception {
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            Page p = open("ws://127.0.0.1:" + proxy.port() + PlanPageFormat.PATH, "plan-drop");
            p.waitForFunction("() => window.planPage.confirmations === 1");
            waitFor(() -> server.services().hub().subscribers("plan-drop") == 1);
            server.publishAndWait("plan-drop", List.of(
                    EventDraft.of("run.started", null, null, io.runcast.event.Json.object().put("query", "Compare Q2 and Q3")),
                    new EventDraft("step.started", "s1", "Data Analyst", "{}", null),
                    new EventDraft("agent.thinking", "s1", "Data Analyst", "{\"content\":\"before the drop\"}", null)));
            p.waitForFunction("() => window.planPage.messages.length === 3");

            proxy.cutAll(); // mid-run: the TCP connection dies under both sides
            p.waitForFunction("() => window.planPage.opens === 2 && window.planPage.confirmations === 3");
            // the old connection is gone and the new one holds one subscription for its two subscribe_plan
            waitFor(() -> watchers("plan-drop") == 1 && server.services().hub().subscribers("plan-drop") == 1);

            server.publishAndWait("plan-drop", List.of(
                    new EventDraft("agent.action", "s1", "Data Analyst", "{\"content\":\"after the drop\"}", null),
                    new EventDraft("step.completed", "s1", "Data Analyst", "{\"result\":\"North down 18%\"}", null),
                    EventDraft.of("run.completed", io.runcast.event.Json.object())));
            p.waitForFunction("() => window.planPage.messages.some((m) => m.type === 'plan_update' && m.status === 'completed')");

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> messages = (List<Map<String, Object>>) p.evaluate("() => window.planPage.messages");
            assertThat(messages).extracting(m -> m.get("content")).containsExactly(
                    "Compare Q2 and Q3", "Starting step s1", "before the drop", "after the drop", "North down 18%", "Plan completed");
            assertThat(messages).extracting(m -> m.get("event_id")).doesNotHaveDuplicates();
            assertThat(messages).allSatisfy(m -> assertThat(m.get("plan_id")).isEqualTo("plan-drop"));
            assertThat(p.locator("#chat li").count()).isEqualTo(6);
            assertThat(p.evaluate("() => window.planPage.closes")).isEqualTo(1);
        }
    }

    @Test
    void testStreamingEndpoint_fromThePage_streamsTheSamplePlanIntoItsChat() {
        Page p = open("ws://127.0.0.1:" + server.port() + PlanPageFormat.PATH, "sample-page");
        p.waitForFunction("() => window.planPage.confirmations === 1");
        waitFor(() -> server.services().hub().subscribers("sample-page") == 1);
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) p.evaluate(
                "async () => (await fetch('/api/test/streaming/sample-page', { method: 'POST' })).json()");
        assertThat(answer.get("status")).isEqualTo("success");
        assertThat((String) answer.get("message")).isNotBlank();

        p.waitForFunction("() => window.planPage.messages.some((m) => m.type === 'plan_update' && m.status === 'completed')");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages = (List<Map<String, Object>>) p.evaluate("() => window.planPage.messages");
        assertThat(messages).hasSize(18);
        assertThat(messages).extracting(m -> m.get("message_type")).contains("thinking", "action", "result");
        assertThat(messages).extracting(m -> m.get("type")).contains("plan_update", "step_update", "agent_message");
        assertThat(p.locator("#chat li").first().textContent()).contains("Q3");
        Browser.screenshot(p, "seed-000-plan-page");
    }
}
