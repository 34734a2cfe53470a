package io.runcast.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.runcast.event.EventTypes;
import io.runcast.seeds.reasoning.ReasoningFormat;
import io.runcast.seeds.testing.ChatFixture;
import java.time.Duration;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's reasoning chat in headless Chromium: a page equivalent to the project's
 * {@code websocket_chat.js} (session socket, keep-alive ping on a timer — 30 s in the project, set by
 * {@code ?heartbeat=} here so the test is quick —, reconnect with backoff, reasoning steps drawn as they
 * arrive, an Interrupt button) against a real server answering with the scripted agent.
 */
class ReasoningChatBrowserTest {
    static Browser browser;
    static ChatFixture chats;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() {
        browser = Browser.launch();
        chats = ChatFixture.start();
        chats.server.endpoints().add(new ReasoningFormat(chats.server.services(), Duration.ofMillis(400)));
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    @AfterAll
    static void stopAll() {
        if (chats != null) chats.close();
        if (browser != null) browser.close();
    }

    @BeforeEach
    void open() {
        context = browser.context(1000, 800);
        page = Browser.page(context);
    }

    @AfterEach
    void close() {
        context.close();
        Browser.assertNoScriptErrors();
    }

    void load(String session) {
        // a page of the server's own origin (so Chromium lets it reach the loopback server), then the client in it
        page.navigate("http://127.0.0.1:" + chats.port() + "/api/health?session=" + session + "&heartbeat=250");
        page.setContent(PAGE);
        assertThat(page.locator("#status")).hasText("connected");
    }

    void send(String message) {
        page.locator("#message").fill(message);
        page.locator("#send").click();
    }

    @Test
    void theClientsPingIsAnswered_andAChatShowsReasoningStepsThenComplete() {
        load("browser-1");
        assertThat(page.locator("#session")).hasText("browser-1");
        // the client's timed ping gets pongs; the server's own heartbeat arrives too
        page.waitForFunction("() => window.chat.pongs >= 2 && window.chat.serverPings >= 1");

        send("What is 17 * 23 + 4?");
        Locator steps = page.locator(".turn").last().locator(".step");
        assertThat(steps.locator("xpath=self::*[contains(@class,'final_answer')]").locator(".content")).hasText("17 * 23 + 4 = 395.");
        assertThat(page.locator(".turn").last()).hasAttribute("data-status", "completed");
        assertThat(steps.first()).hasClass(Pattern.compile("thought"));
        assertThat(steps.first().locator(".iteration")).hasText("#1");
        Locator use = page.locator(".turn").last().locator(".step.tool_use");
        assertThat(use.locator(".tool")).hasText("calculator");
        assertThat(use.locator(".content")).containsText("17 * 23 + 4");
        assertThat(page.locator(".turn").last().locator(".step.tool_result .content")).containsText("395");
        Object order = page.evaluate("() => [...document.querySelectorAll('.turn:last-child .step')].map(s => s.dataset.type)");
        Assertions.assertThat(String.valueOf(order)).matches(".*thought.*tool_use.*tool_result.*final_answer.*");
        Assertions.assertThat(page.evaluate("() => window.chat.lastFrame")).isEqualTo("reasoning_complete");
        Browser.screenshot(page, "seed-002-reasoning");
        Assertions.assertThat(chats.types("browser-1.1")).last().isEqualTo(EventTypes.RUN_COMPLETED);
    }

    @Test
    void interrupt_midRun_cancelsTheRun() {
        load("browser-2");
        send("Remember that the design review moved to Thursday.");
        Locator turn = page.locator(".turn").last();
        assertThat(turn.locator(".step.tool_use .tool")).hasText("save_note"); // held: waiting for an approval
        assertThat(turn).hasAttribute("data-status", "running");
        page.locator("#interrupt").click();
        assertThat(page.locator("#notice")).hasText("Reasoning interrupted");
        assertThat(turn).hasAttribute("data-status", "cancelled");
        Browser.screenshot(page, "seed-002-interrupted");
        Assertions.assertThat(chats.types("browser-2.1")).last().isEqualTo(EventTypes.RUN_CANCELLED);
    }

    /** The project's client, reduced to what it does on the wire and on screen. */
    static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>Real-Time Chat</title>
            <style>
              body { font: 14px system-ui, sans-serif; margin: 16px; }
              .step { margin: 4px 0; padding: 6px 8px; border-radius: 6px; }
              .thought { background: #e3f2fd; } .tool_use { background: #fff3e0; } .tool_result { background: #f3e5f5; }
              .final_answer { background: #e8f5e9; } .error { background: #ffebee; }
              .iteration, .tool { font-weight: 600; margin-right: 6px; }
            </style></head>
            <body>
              <div>Session <span id="session"></span> · <span id="status">disconnected</span> · <span id="notice"></span></div>
              <input id="message" size="60"> <label><input id="reasoning" type="checkbox" checked> Reasoning</label>
              <button id="send">Send</button> <button id="interrupt">Interrupt</button>
              <div id="turns"></div>
            <script>
            class WebSocketChatClient {
              constructor(url, heartbeatMs) {
                this.url = url; this.heartbeatMs = heartbeatMs; this.ws = null; this.attempts = 0;
                this.pongs = 0; this.serverPings = 0; this.turn = null; this.lastFrame = null;
              }
              connect() {
                this.ws = new WebSocket(this.url);
                this.ws.onopen = () => { this.attempts = 0; this.startHeartbeat(); };
                this.ws.onmessage = (m) => this.handle(JSON.parse(m.data));
                this.ws.onclose = () => { this.stopHeartbeat(); status('disconnected'); this.reconnect(); };
              }
              reconnect() {
                if (this.attempts >= 5) return;
                this.attempts++;
                setTimeout(() => this.connect(), 2000 * this.attempts); // 2s, 4s, 6s, 8s, 10s
              }
              startHeartbeat() {
                this.timer = setInterval(() => this.send('ping', {}, { timestamp: Date.now() / 1000 }), this.heartbeatMs);
              }
              stopHeartbeat() { clearInterval(this.timer); }
              send(type, payload, extra) {
                if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type, payload, ...(extra || {}) }));
              }
              chat(message, reasoning) { this.send('chat', { message, agent_name: 'researcher', enable_reasoning: reasoning }); }
              interrupt() { this.send('interrupt', {}); }
              handle(msg) {
                const d = msg.data || {};
                if (msg.type !== 'ping' && msg.type !== 'pong') this.lastFrame = msg.type;
                switch (msg.type) {
                  case 'connected': status('connected'); document.getElementById('session').textContent = d.session_id; break;
                  case 'pong': this.pongs++; break;
                  case 'ping': this.serverPings++; break;
                  case 'reasoning_start':
                    this.turn = document.createElement('div'); this.turn.className = 'turn'; this.turn.dataset.status = 'running';
                    this.turn.innerHTML = '<div class="ask"></div>'; this.turn.firstChild.textContent = d.message;
                    document.getElementById('turns').appendChild(this.turn); break;
                  case 'reasoning_step': {
                    const s = document.createElement('div'); s.className = 'step ' + d.type; s.dataset.type = d.type;
                    const it = document.createElement('span'); it.className = 'iteration'; it.textContent = '#' + d.iteration; s.appendChild(it);
                    if (d.tool_name) { const t = document.createElement('span'); t.className = 'tool'; t.textContent = d.tool_name; s.appendChild(t); }
                    const c = document.createElement('span'); c.className = 'content'; c.textContent = d.content; s.appendChild(c);
                    s.title = new Date(d.timestamp * 1000).toISOString();
                    this.turn.appendChild(s); break;
                  }
                  case 'response': { const r = document.createElement('div'); r.className = 'response'; r.textContent = d.content; this.turn.appendChild(r); break; }
                  case 'interrupted': document.getElementById('notice').textContent = d.message; break;
                  case 'reasoning_complete': if (this.turn) this.turn.dataset.status = d.status || 'completed'; break;
                  case 'error': document.getElementById('notice').textContent = d.message; break;
                }
              }
            }
            function status(s) { document.getElementById('status').textContent = s; }
            const params = new URLSearchParams(location.search);
            const session = params.get('session') || ('session_' + Date.now());
            const heartbeatMs = Number(params.get('heartbeat') || 30000);
            window.chat = new WebSocketChatClient('ws://' + location.host + '/ws/chat/' + session + '?agent_name=researcher', heartbeatMs);
            window.chat.connect();
            document.getElementById('send').onclick = () => {
              const box = document.getElementById('message');
              window.chat.chat(box.value, document.getElementById('reasoning').checked); box.value = '';
            };
            document.getElementById('interrupt').onclick = () => window.chat.interrupt();
            </script></body></html>
            """;
}
