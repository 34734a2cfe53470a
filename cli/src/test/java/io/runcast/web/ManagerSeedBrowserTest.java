package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.runcast.chats.ChatConfig;
import io.runcast.chats.ChatRunner;
import io.runcast.chats.ScriptedAgent;
import io.runcast.config.RuncastConfig;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.seeds.manager.ManagerFormat;
import io.runcast.server.RuncastServer;
import io.runcast.tool.ToolDispatcher;
import io.runcast.tool.builtin.Builtins;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's front end in headless Chromium: its chat service (one socket to {@code /api/chat/ws}, the
 * session and the message over REST, then the {@code chat_message} frame), the document's
 * {@code onmessage} switch, and its decision component, answered by clicking an option.
 */
class ManagerSeedBrowserTest {
    /** The project's client, as plain browser JS: chatApi.ts's calls and the guide's handlers and components. */
    static final String PAGE = """
            <!doctype html><meta charset="utf-8"><title>PIP AI</title>
            <style>.progress-bar{width:200px;height:8px;background:#eee}.progress-fill{height:8px;background:#43a047}</style>
            <p id="conn">connecting</p>
            <div id="workflow"><span id="change"></span> <span id="stage"></span> <span id="pct"></span></div>
            <div id="thinking"></div><div id="progress"></div><div id="brain"></div><div id="decisions"></div>
            <ol id="messages"></ol>
            <input id="text"><button id="send">Send</button>
            <script>
            const log = (window.received = []);
            let currentSessionId = null;
            const ws = new WebSocket(`ws://${location.host}/api/chat/ws`);
            const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
            function respondToDecision(decisionId, response) {
              ws.send(JSON.stringify({ type: 'user_decision_response', session_id: currentSessionId, decision_id: decisionId, response }));
            }
            function handleManagerThinking(d) {
              const div = el('div', 'manager-thinking');
              div.append(el('div', 'thinking-type', d.thinking_type), el('div', 'analysis', d.analysis),
                el('div', 'confidence', `Confidence: ${d.confidence * 100}%`), el('div', 'factors', `Considering: ${d.factors.join(', ')}`));
              document.getElementById('thinking').append(div);
            }
            function handleAgentProgress(d) {
              const id = 'agent-' + d.agent_name;
              let div = document.getElementById(id);
              if (!div) {
                div = el('div', 'agent-progress'); div.id = id;
                const bar = el('div', 'progress-bar'); bar.append(el('div', 'progress-fill'));
                div.append(el('div', 'agent-name', d.agent_name), bar, el('div', 'substep'));
                document.getElementById('progress').append(div);
              }
              div.querySelector('.progress-fill').style.width = `${d.progress_percentage}%`;
              div.querySelector('.substep').textContent = d.substep;
            }
            function handleUserDecision(d) {
              const div = el('div', 'user-decision'); div.dataset.decision = d.decision_id;
              div.append(el('h3', null, d.prompt));
              const options = el('div', 'options');
              for (const option of d.options) {
                const b = el('button', null, option); b.dataset.option = option;
                b.onclick = () => respondToDecision(d.decision_id, option);
                options.append(b);
              }
              div.append(options);
              document.getElementById('decisions').append(div);
            }
            function handleWorkflowVisualization(d) {
              document.getElementById('change').textContent = d.change_type;
              document.getElementById('stage').textContent = d.current_stage;
              document.getElementById('pct').textContent = `${d.workflow_visualization.completion_percentage}% Complete`;
            }
            function handleBrainAllocation(d) { document.getElementById('brain').textContent = `${d.agent_name} → ${d.model_selected}`; }
            function handleChatMessage(d) {
              const li = el('li', 'msg ' + d.role, d.content); li.dataset.id = d.id;
              document.getElementById('messages').append(li);
            }
            ws.onmessage = (event) => {
              const message = JSON.parse(event.data);
              log.push(message);
              switch (message.type) {
                case 'connection_established': document.getElementById('conn').textContent = 'connected ' + message.connection_id; break;
                case 'manager_thinking': handleManagerThinking(message.data); break;
                case 'agent_substep': handleAgentProgress(message.data); break;
                case 'user_decision_needed': handleUserDecision(message.data); break;
                case 'workflow_state_change': handleWorkflowVisualization(message.data); break;
                case 'brain_allocation': handleBrainAllocation(message.data); break;
                case 'chat_message': handleChatMessage(message.data); break;
                case 'decision_response_acknowledged':
                  document.querySelector(`[data-decision="${message.data.decision_id}"]`).classList.add('answered'); break;
              }
            };
            async function createChatSession(name) {
              const r = await fetch('/api/chat/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }) });
              return r.json();
            }
            async function sendMessage(sessionId, content) {
              const r = await fetch(`/api/chat/sessions/${sessionId}/messages`, { method: 'POST',
                headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ content }) });
              if (ws.readyState === WebSocket.OPEN) {
                ws.send(JSON.stringify({ type: 'chat_message', session_id: sessionId, content, timestamp: new Date().toISOString() }));
              }
              return r.json();
            }
            document.getElementById('send').onclick = async () => {
              if (!currentSessionId) currentSessionId = (await createChatSession('Estimate')).id;
              await sendMessage(currentSessionId, document.getElementById('text').value);
            };
            </script>
            """;

    @Test
    void theProjectsClient_followsAWorkflow_andAnswersItsDecisionByClicking() {
        Browser browser = Browser.launch();
        RuncastServer server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
        PlanExecutor executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        ToolDispatcher tools = new ToolDispatcher(Builtins.registry());
        ChatRunner runner = new ChatRunner(server.engine(), executor, List.of(new ScriptedAgent(tools, 0, Duration.ofSeconds(60))), ChatConfig.DEFAULT);
        server.chats().install(runner);
        server.endpoints().add(new ManagerFormat(server.services()));
        BrowserContext context = browser.context(1000, 800);
        try {
            Page page = Browser.page(context);
            String origin = "http://127.0.0.1:" + server.port();
            // the page is written into a document of the server's origin (a page fulfilled by a route counts as
            // public to Chromium's local network checks, which then refuse its socket to 127.0.0.1)
            page.navigate(origin + "/runcast.d.ts");
            page.setContent(PAGE);
            page.locator("#conn").filter(new Locator.FilterOptions().setHasText("connected ")).waitFor();

            page.locator("#text").fill("Remember that the crane arrives on Tuesday at 7:00.");
            page.locator("#send").click();
            // the person's message shows from the server's echo only
            page.locator("#messages .msg.user").filter(new Locator.FilterOptions().setHasText("crane arrives")).waitFor();
            Locator decision = page.locator(".user-decision");
            decision.waitFor();
            assertThat(decision.locator("button").allTextContents()).contains("approve", "deny");
            assertThat(page.locator("#change").textContent()).isEqualTo("workflow_started");
            assertThat(page.locator(".manager-thinking .thinking-type").first().textContent()).isEqualTo("route_planning");
            Browser.screenshot(page, "seed003-decision");

            decision.locator("button[data-option='approve']").click();
            page.locator(".user-decision.answered").waitFor();
            page.locator("#messages .msg.assistant").filter(new Locator.FilterOptions().setHasText("Saved:")).waitFor();
            page.waitForFunction("() => document.getElementById('change').textContent === 'workflow_completed'");
            assertThat(page.locator("#pct").textContent()).isEqualTo("100% Complete");
            assertThat(page.locator(".agent-progress .progress-fill").first().evaluate("e => e.style.width")).isEqualTo("100%");
            assertThat(page.locator("#messages .msg").allTextContents()).hasSize(2);
            Number errors = (Number) page.evaluate("() => window.received.filter(m => m.type === 'error').length");
            assertThat(errors.intValue()).as("the client's own chat_message frame is accepted quietly").isZero();
            Browser.screenshot(page, "seed003-completed");
            Browser.assertNoScriptErrors();
        } finally {
            context.close();
            runner.close();
            executor.close();
            tools.close();
            server.close();
            browser.close();
        }
    }
}
