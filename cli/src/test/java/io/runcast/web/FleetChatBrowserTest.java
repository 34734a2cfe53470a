package io.runcast.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.runcast.event.EventTypes;
import io.runcast.protocol.CloseCode;
import io.runcast.seeds.fleet.FleetConfig;
import io.runcast.seeds.fleet.FleetFormat;
import io.runcast.seeds.testing.ChatFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 004's chat in headless Chromium with the project's own socket library, the real npm package
 * {@code reconnecting-websocket} (cli/src/test/js), used as its {@code useChat} does: conversation calls
 * first, then a socket that sends the chat request on every open — including the reopen after a
 * server-side close — and a Stop button that sends {@code cancel} and closes at once.
 */
class FleetChatBrowserTest {
    static final Path LIBRARY = Path.of("src/test/js/node_modules/reconnecting-websocket/dist/reconnecting-websocket-iife.js");

    static Browser browser;
    static ChatFixture chats;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() {
        Assertions.assertThat(LIBRARY).as("npm ci in cli/src/test/js (./mvnw verify does it)").exists();
        browser = Browser.launch();
        chats = ChatFixture.start();
        chats.server.endpoints().add(new FleetFormat(chats.server.services(), FleetConfig.DEFAULT));
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    @AfterAll
    static void stopAll() {
        if (chats != null) chats.close();
        if (browser != null) browser.close();
    }

    @BeforeEach
    void open() throws Exception {
        context = browser.context(1000, 800);
        page = Browser.page(context);
        byte[] library = Files.readAllBytes(LIBRARY);
        page.route("**/vendor/reconnecting-websocket.js", r -> r.fulfill(new Route.FulfillOptions()
                .setContentType("application/javascript").setBodyBytes(library)));
        // a page of the server's own origin (so Chromium lets it reach the loopback server), then the client in it
        page.navigate("http://127.0.0.1:" + chats.port() + "/api/health");
        page.setContent(PAGE);
        page.waitForFunction("() => typeof ReconnectingWebSocket === 'function'");
    }

    @AfterEach
    void close() {
        context.close();
        Browser.assertNoScriptErrors();
    }

    void send(String message) {
        page.locator("#message").fill(message);
        page.locator("#send").click();
    }

    @Test
    void aMessageStreamsToDone_andAServerSideCloseAndReopenDoesNotStartASecondRun() {
        send("What is 17 * 23 + 4?");
        assertThat(page.locator("#state")).hasText("done");
        assertThat(page.locator(".assistant .content")).hasText("17 * 23 + 4 = 395.");
        assertThat(page.locator(".steps .step[data-kind=routing]")).hasCount(1);
        assertThat(page.locator(".steps .step[data-type='agent.start']").first()).containsText("scripted started");
        assertThat(page.locator(".reasoning")).not().isEmpty();
        String conversation = (String) page.evaluate("() => window.fleet.conversationId");
        String run = conversation + ".1";
        Assertions.assertThat(page.evaluate("() => window.fleet.workflows()")).isEqualTo(java.util.List.of(run));
        Assertions.assertThat(((Number) page.evaluate("() => window.fleet.opens")).intValue()).isEqualTo(1);
        Browser.screenshot(page, "seed-004-done");

        // the server drops the socket: reconnecting-websocket reopens it and sends the same request again
        chats.server.services().connections().closeAll(CloseCode.GOING_AWAY);
        page.waitForFunction("() => window.fleet.opens === 2 && window.fleet.dones === 2");
        Assertions.assertThat(page.evaluate("() => window.fleet.workflows()")).as("the same run, streamed again").isEqualTo(java.util.List.of(run));
        assertThat(page.locator(".assistant .content")).hasText("17 * 23 + 4 = 395.");
        Assertions.assertThat(chats.server.engine().info(conversation + ".2")).as("no second run").isEmpty();

        // the conversation, as useChat reloads it
        page.evaluate("() => window.fleet.reload()");
        assertThat(page.locator("#history .msg")).hasCount(2);
        assertThat(page.locator("#history .msg.assistant")).hasText("17 * 23 + 4 = 395.");
    }

    @Test
    void stop_sendsCancelAndCloses_andTheRunIsCancelled() {
        send("Remember that the offsite is in May.");
        assertThat(page.locator(".steps .step[data-kind=approval]")).hasCount(1); // held: waiting for an approval
        String run = page.evaluate("() => window.fleet.conversationId") + ".1";
        page.locator("#stop").click();
        assertThat(page.locator("#state")).hasText("stopped");
        chats.awaitStatus(run, "cancelled");
        Assertions.assertThat(chats.types(run)).last().isEqualTo(EventTypes.RUN_CANCELLED);
        page.evaluate("() => window.fleet.reload()");
        assertThat(page.locator("#history .msg.system")).hasText("Cancelled.");
        Browser.screenshot(page, "seed-004-stopped");
    }

    /** The project's useChat, reduced to what it does on the wire and on screen. */
    static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>AgenticFleet</title>
            <script src="/vendor/reconnecting-websocket.js"></script>
            <style>
              body { font: 14px system-ui, sans-serif; margin: 16px; }
              .step { color: #555; margin: 2px 0; } .reasoning { color: #777; white-space: pre-wrap; font-style: italic; }
              .assistant .content { background: #eef6ee; padding: 8px; border-radius: 6px; }
            </style></head>
            <body>
              <div>State: <span id="state">idle</span> <span id="error"></span></div>
              <input id="message" size="60"> <button id="send">Send</button> <button id="stop">Stop</button>
              <div class="assistant"><div class="steps"></div><div class="reasoning"></div><div class="content"></div></div>
              <div id="history"></div>
            <script>
            const fleet = window.fleet = { conversationId: null, ws: null, opens: 0, dones: 0, events: [],
              workflows() { return [...new Set(this.events.filter(e => e.workflow_id).map(e => e.workflow_id))]; } };
            const $ = (s) => document.querySelector(s);
            const json = (r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); };

            async function ensureConversation() {
              if (fleet.conversationId) return;
              const c = await fetch('/api/conversations', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ title: 'Browser chat' }) }).then(json);
              await fetch('/api/conversations').then(json);
              fleet.conversationId = c.id;
            }

            async function sendMessage(message) {
              await ensureConversation(); // no socket until the conversation calls succeeded
              const request = { message, conversation_id: fleet.conversationId, stream: true, reasoning_effort: 'minimal' };
              $('#state').textContent = 'streaming';
              const ws = fleet.ws = new ReconnectingWebSocket('ws://' + location.host + '/api/ws/chat', [], {
                minReconnectionDelay: 100, maxReconnectionDelay: 2000, reconnectionDelayGrowFactor: 1.3 });
              ws.addEventListener('open', () => { fleet.opens++; ws.send(JSON.stringify(request)); });
              ws.addEventListener('message', (m) => handle(JSON.parse(m.data)));
            }

            function handle(e) {
              if (e.type === 'heartbeat') return;
              fleet.events.push(e);
              switch (e.type) {
                case 'connected': $('.assistant .content').textContent = ''; $('.reasoning').textContent = ''; break;
                case 'response.delta': $('.assistant .content').textContent += e.delta; break;
                case 'response.completed': $('.assistant .content').textContent = e.message; break;
                case 'reasoning.delta': $('.reasoning').textContent += e.reasoning; break;
                case 'reasoning.completed': $('.reasoning').textContent = e.reasoning; break;
                case 'orchestrator.message': case 'orchestrator.thought': case 'agent.start': case 'agent.message':
                case 'agent.output': case 'agent.complete': {
                  const s = document.createElement('div'); s.className = 'step'; s.dataset.type = e.type; s.dataset.kind = e.kind || '';
                  s.textContent = (e.author ? e.author + ': ' : '') + (e.message || ''); $('.steps').appendChild(s); break;
                }
                case 'error': $('#error').textContent = e.error; break;
                case 'cancelled': $('#state').textContent = 'cancelled'; break;
                case 'done': fleet.dones++; $('#state').textContent = 'done'; break; // the server closes (the project's server did)
              }
            }

            fleet.reload = async () => {
              const c = await fetch('/api/conversations/' + fleet.conversationId).then(json);
              $('#history').innerHTML = '';
              for (const m of c.messages) {
                const d = document.createElement('div'); d.className = 'msg ' + m.role; d.textContent = m.content; $('#history').appendChild(d);
              }
            };

            $('#send').onclick = () => { const box = $('#message'); sendMessage(box.value); box.value = ''; };
            $('#stop').onclick = () => {
              if (fleet.ws) { fleet.ws.send(JSON.stringify({ type: 'cancel' })); fleet.ws.close(); }
              $('#state').textContent = 'stopped';
            };
            </script></body></html>
            """;
}
