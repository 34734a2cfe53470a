package io.runcast.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import io.runcast.chats.ChatConfig;
import io.runcast.chats.ChatRunner;
import io.runcast.config.RuncastConfig;
import io.runcast.exec.ExecutorConfig;
import io.runcast.exec.PlanExecutor;
import io.runcast.server.RuncastServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's chat page in headless Chromium against a real server running a real chat runner
 * (plan executor, router, conversations) with {@link ToolChatAgent}. Screenshots: cli/target/screenshots/chat-*.png.
 */
class ChatBoxTest {
    static Browser browser;
    static RuncastServer server;
    static PlanExecutor executor;
    static ChatRunner runner;
    static ToolChatAgent helper;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() {
        browser = Browser.launch();
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").heartbeat(Duration.ofSeconds(2)).build());
        executor = new PlanExecutor(server.engine(), server.streamControl(), ExecutorConfig.DEFAULT);
        helper = new ToolChatAgent("helper", "thinks, uses a calculator, asks before it answers");
        runner = new ChatRunner(server.engine(), executor,
                List.of(helper, new ToolChatAgent("second", "the same, under another name")), ChatConfig.DEFAULT);
        server.chats().install(runner);
        PlaywrightAssertions.setDefaultAssertionTimeout(20_000);
    }

    @AfterAll
    static void stopAll() {
        if (runner != null) runner.close();
        if (executor != null) executor.close();
        if (server != null) server.close();
        if (browser != null) browser.close();
    }

    @BeforeEach
    void openContext() {
        context = browser.context(1100, 900);
        page = Browser.page(context);
    }

    @AfterEach
    void closeContext() {
        helper.midAnswer = null;
        context.close();
        Browser.assertNoScriptErrors();
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    void openChat() {
        page.navigate(base() + "/");
        page.locator("#nav-chat").click();
        page.locator("#conn.open").waitFor();
        assertThat(page.locator("#chat-agent")).isEnabled();
    }

    void send(String message) {
        page.locator("#chat-input").fill(message);
        page.locator("#chat-input").press("Enter");
    }

    @Test
    void aTurnStreamsThinkingToolsDecisionAndAnswer_aSecondTurnSeesTheFirst_andAReloadRebuildsBoth() {
        openChat();
        assertThat(page.locator("#chat-agent")).hasValue("helper");
        assertThat(page.locator("#agent-desc")).hasText("thinks, uses a calculator, asks before it answers");
        assertThat(page.locator("#chat-agent option")).hasText(new String[] {"helper (default)", "second"});
        page.selectOption("#chat-light", "full");
        helper.midAnswer = new CountDownLatch(1);
        send("What is 17 * 23?");

        Locator turn1 = page.locator(".turn").nth(0);
        assertThat(turn1.locator(".msg.user .bubble")).hasText("What is 17 * 23?");
        assertThat(page.locator("#chat-input")).hasValue("");
        assertThat(turn1.locator(".route-badge.full")).hasText("🧭 full");
        assertThat(turn1.locator(".route-badge")).hasAttribute("title", Pattern.compile("full pipeline \\(full\\).*forced"));
        // While the agent thinks and works, its thoughts are open; the tool card shows arguments, then the result.
        Locator decision = turn1.locator(".decision.open");
        assertThat(decision.locator(".prompt")).hasText(ToolChatAgent.PROMPT);
        assertThat(turn1.locator("details.thinking")).hasCount(2); // analyze's, then respond's
        assertThat(turn1.locator("details.thinking").first()).hasAttribute("open", "");
        assertThat(turn1.locator("details.thinking").first()).containsText("The person asks: What is 17 * 23?");
        Locator tool = turn1.locator(".tool-card");
        assertThat(tool.locator(".tool-name")).hasText("calculator");
        assertThat(tool.locator("pre.args")).hasText("{\n  \"expression\": \"17 * 23\",\n  \"precision\": 0\n}");
        assertThat(tool.locator("pre.result")).hasText("{\n  \"value\": 391\n}");
        assertThat(tool.locator(".tool-time")).hasText(Pattern.compile("\\d+ ms"));
        assertThat(turn1.locator(".turn-steps li[data-step=analyze]")).hasClass("completed");
        assertThat(turn1.locator(".stop")).isVisible();
        Browser.screenshot(page, "chat-decision");

        decision.locator(".option[data-choice=approve]").click();
        assertThat(turn1.locator(".decision.resolved .decision-status")).containsText("Decided: approve");
        // Held halfway through the answer: it is streaming, and the thoughts folded away.
        assertThat(turn1.locator(".reply-answer.streaming .answer-text")).hasText(Pattern.compile("^Shared: 17 \\* 23 "));
        assertThat(turn1.locator("details.thinking[open]")).hasCount(0);
        Browser.screenshot(page, "chat-streaming");
        helper.midAnswer.countDown();

        assertThat(turn1).hasAttribute("data-status", "completed");
        assertThat(turn1.locator(".answer-text")).hasText("Shared: 17 * 23 = 391. I saw 0 earlier messages.");
        assertThat(turn1.locator(".reply-answer")).not().hasClass(Pattern.compile("streaming"));
        assertThat(turn1.locator(".flow-line.quality")).containsText("arithmetic checked");
        assertThat(turn1.locator(".tele-chip[data-key=ttft] b")).hasText(Pattern.compile("\\d+ ms|\\d+\\.\\d+ s"));
        assertThat(turn1.locator(".tele-chip[data-key=done] b")).hasText(Pattern.compile("\\d+ ms|\\d+\\.\\d+ s"));
        assertThat(turn1.locator(".tele-chip[data-key=tools] b")).hasText("1");
        assertThat(turn1.locator(".tele-chip[data-key=tokens] b")).hasText("40 in / 11 out");
        assertThat(turn1.locator(".time-bar .seg")).hasCount(3);
        assertThat(turn1.locator(".stop")).isHidden();
        turn1.locator("details.thinking summary").first().click(); // a thought stays one click away
        assertThat(turn1.locator("details.thinking").first()).hasAttribute("open", "");

        String conversation = page.locator("#conv-id").textContent();
        Assertions.assertThat(page.url()).endsWith("#/chat/" + conversation);
        assertThat(turn1).hasAttribute("data-run", conversation + ".1");

        // Turn 2: the router picks light for a short question; the agent saw turn 1 (two messages).
        page.selectOption("#chat-light", "auto");
        send("And what is 17 * 23 once more?");
        Locator turn2 = page.locator(".turn").nth(1);
        assertThat(turn2).hasAttribute("data-turn", "2");
        assertThat(turn2.locator(".route-badge.light")).hasText("⚡ light");
        assertThat(turn2.locator(".tool-card[data-call=bad-1] .flag.invalid")).hasText("⚠ invalid call");
        assertThat(turn2.locator(".tool-card[data-call=bad-1] .tool-errors")).hasText("id must be >= 0");
        assertThat(turn2.locator(".tool-card[data-call=bad-1] .io-label").nth(1)).hasText("Error");
        assertThat(turn2.locator(".tool-card[data-call=cached-1] .flag.cache")).hasText("⚡ cache hit");
        turn2.locator(".decision.open .option[data-choice=deny]").click();
        assertThat(turn2).hasAttribute("data-status", "completed");
        assertThat(turn2.locator(".answer-text")).hasText("Kept to myself: 17 * 23 = 391. I saw 2 earlier messages.");
        assertThat(turn2.locator(".tele-chip[data-key=tools] b")).hasText("3");
        assertThat(turn2.locator(".tele-chip[data-key=cache] b")).hasText("1"); // the summary's tool_cache_hits
        Browser.screenshot(page, "chat-two-turns");

        // A reload rebuilds the whole thread from the server.
        page.reload();
        assertThat(page.locator("section.chat-view")).hasAttribute("data-thread", "loaded");
        Locator turns = page.locator(".turn");
        assertThat(turns).hasCount(2);
        assertThat(turns.locator(".msg.user .bubble")).hasText(new String[] {"What is 17 * 23?", "And what is 17 * 23 once more?"});
        assertThat(turns.locator(".answer-text")).hasText(new String[] {
                "Shared: 17 * 23 = 391. I saw 0 earlier messages.", "Kept to myself: 17 * 23 = 391. I saw 2 earlier messages."});
        assertThat(turns.nth(0)).hasAttribute("data-status", "completed");
        assertThat(turns.nth(1)).hasAttribute("data-status", "completed");
        assertThat(turns.nth(0).locator(".decision.resolved .option.chosen")).hasText("approve");
        assertThat(turns.nth(0).locator("details.thinking[open]")).hasCount(0);
        assertThat(page.locator("#chat-agent")).hasValue("helper");
        Browser.screenshot(page, "chat-reloaded");
        page.setViewportSize(390, 844);
        assertThat(turns.nth(1).locator(".tool-card").first()).isVisible();
        Browser.screenshot(page, "chat-phone");
        int overflow = ((Number) page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue();
        Assertions.assertThat(overflow).as("no horizontal scrolling at phone width").isLessThanOrEqualTo(0);
        page.setViewportSize(1100, 900);

        // Each turn links to its run page, and that page links back to the conversation.
        turns.nth(0).locator(".run-link").click();
        Assertions.assertThat(page.url()).endsWith("#/runs/" + conversation + ".1");
        assertThat(page.locator("#chat-link")).hasText("💬 conversation " + conversation + " · turn 1");
        assertThat(page.locator("#run-status")).hasText("completed");
        Browser.screenshot(page, "chat-run-page");
        page.locator("#chat-link").click();
        assertThat(page.locator(".turn")).hasCount(2);
        assertThat(page.locator(".nav a.active")).hasText("💬 Chat");
    }

    @Test
    void stop_cancelsAHeldTurn_andAMessageWhileItRunsIsExplainedAsBusy() {
        openChat();
        send("wait for me");
        Locator turn = page.locator(".turn").nth(0);
        assertThat(turn.locator("details.thinking")).containsText("Holding until someone presses Stop.");
        assertThat(turn).hasAttribute("data-status", "running");

        send("and another thing");
        assertThat(page.locator("#chat-error")).isVisible();
        assertThat(page.locator("#chat-error")).containsText("still answering your previous message");
        assertThat(page.locator(".turn")).hasCount(1);
        assertThat(page.locator("#chat-input")).hasValue("and another thing"); // nothing typed is lost
        Browser.screenshot(page, "chat-busy");

        turn.locator(".stop").click();
        assertThat(turn).hasAttribute("data-status", "cancelled");
        assertThat(turn.locator(".badge.cancelled")).hasText("cancelled");
        assertThat(turn.locator(".turn-note")).hasText(Pattern.compile("^Stopped by .*: stopped from the chat\\.$"));
        assertThat(turn.locator(".stop")).isHidden();
        assertThat(turn.locator(".turn-steps li[data-step=respond]")).hasClass("stopped");
        assertThat(turn.locator(".tele-chip[data-key=done]")).isVisible();
        assertThat(turn.locator(".telemetry")).not().containsText("null");
        assertThat(page.locator("#chat-error")).isHidden(); // no longer busy
        Browser.screenshot(page, "chat-stopped");

        page.locator("#chat-input").press("Enter"); // the kept message, now accepted
        Locator turn2 = page.locator(".turn").nth(1);
        assertThat(turn2).hasAttribute("data-turn", "2");
        assertThat(turn2.locator(".msg.user .bubble")).hasText("and another thing");
        turn2.locator(".decision.open .option[data-choice=deny]").click();
        assertThat(turn2.locator(".answer-text")).hasText("Kept to myself: 17 * 23 = 391. I saw 1 earlier messages.");
    }

    @Test
    void anUnknownAgent_isExplainedOnThePage_notInTheConsole() {
        List<String> consoleErrors = new CopyOnWriteArrayList<>();
        page.onConsoleMessage(m -> {
            if (m.type().equals("error")) consoleErrors.add(m.text());
        });
        openChat();
        // The list came from the server; an agent that is not (or no longer) there is picked anyway.
        page.evaluate("() => { const s = document.getElementById('chat-agent'); s.add(new Option('nobody', 'nobody')); s.value = 'nobody'; }");
        send("hello");
        assertThat(page.locator("#chat-error")).containsText("The agent “nobody” is not on this server");
        assertThat(page.locator("#chat-error")).containsText("helper, second");
        assertThat(page.locator(".turn")).hasCount(0);
        assertThat(page.locator("#chat-input")).hasValue("hello");
        assertThat(page.locator("#chat-agent")).hasValue("helper"); // the list was read again
        Browser.screenshot(page, "chat-unknown-agent");
        Assertions.assertThat(consoleErrors).isEmpty();
    }

    @Test
    void aServerWithoutAgents_saysSoInsteadOfOfferingAMessageBox() {
        try (RuncastServer bare = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build())) {
            page.navigate("http://127.0.0.1:" + bare.port() + "/#/chat");
            assertThat(page.locator("#chat-error")).hasText("This server runs no chat agents, so there is nobody to talk to here.");
            assertThat(page.locator("#chat-send")).isDisabled();
            assertThat(page.locator("#chat-agent")).isDisabled();
        }
    }

    @Test
    void rcChat_resolvesWithTheRun_handlersGetEveryEvent_andRefusalsRejectWithTheCatalogueCode() {
        page.navigate(base() + "/runcast.d.ts"); // same origin, no app code running
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { RuncastClient } = await import('/runcast.js');
                  const rc = new RuncastClient();
                  const types = [];
                  let ended = null;
                  const started = await rc.chat('What is 2+2?', { agent: 'second', options: { light: true } }, {
                    onEvent: (ev) => {
                      types.push(ev.type);
                      if (ev.type === 'decision.requested') rc.decide(ev.run, ev.data.decision, 'approve');
                    },
                    onEnd: (end) => (ended = end.seq),
                  });
                  const until = Date.now() + 15000;
                  while (ended == null && Date.now() < until) await new Promise((res) => setTimeout(res, 20));
                  const refused = [];
                  for (const o of [{ agent: 'nobody' }, { conversation: 'has.dot' }]) {
                    try { await rc.chat('hi', o); refused.push('accepted'); } catch (e) { refused.push(e.code); }
                  }
                  const subscribed = started.subscription.run === started.run && !rc.subs.has(started.run);
                  rc.close();
                  return { run: started.run, conversation: started.conversation, turn: started.turn, agent: started.agent,
                           types, ended, refused, subscribed };
                }
                """);
        String run = (String) r.get("run");
        Assertions.assertThat(run).isEqualTo(r.get("conversation") + ".1");
        Assertions.assertThat(r.get("agent")).isEqualTo("second");
        Assertions.assertThat(((Number) r.get("turn")).intValue()).isEqualTo(1);
        @SuppressWarnings("unchecked")
        List<String> types = (List<String>) r.get("types");
        Assertions.assertThat(types).startsWith("run.started", "workflow.route").endsWith("answer.final", "step.completed", "run.completed")
                .contains("tool.call", "tool.result", "decision.requested", "decision.resolved", "answer.delta");
        Assertions.assertThat(((Number) r.get("ended")).longValue()).isEqualTo(server.engine().info(run).orElseThrow().head());
        Assertions.assertThat(types).hasSize((int) server.engine().info(run).orElseThrow().head());
        Assertions.assertThat(r.get("refused")).isEqualTo(List.of("not_found", "bad_request"));
        Assertions.assertThat(r.get("subscribed")).isEqualTo(true); // followed until its end, then let go
    }

    @Test
    void aChatRun_resumesAfterTheNetworkDrops_everyEventOnceInOrder() throws Exception {
        openChat();
        send("What is 17 * 23?");
        Locator turn = page.locator(".turn").nth(0);
        Locator decision = turn.locator(".decision.open");
        decision.waitFor();
        String run = turn.getAttribute("data-run");
        String id = decision.getAttribute("data-decision");

        // Offline: the answer streams to the server meanwhile, the page sees none of it.
        context.setOffline(true);
        assertThat(page.locator("#conn")).not().hasClass(Pattern.compile("\\bopen\\b"));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/api/runs/" + run + "/decisions/" + id))
                .POST(HttpRequest.BodyPublishers.ofString("{\"choice\":\"approve\"}")).build(), HttpResponse.BodyHandlers.ofString());
        Assertions.assertThat(r.statusCode()).isEqualTo(200);
        executor.active().forEach(ex -> ex.done().join());
        Assertions.assertThat(turn.getAttribute("data-status")).isEqualTo("running");

        context.setOffline(false);
        assertThat(turn).hasAttribute("data-status", "completed");
        assertThat(turn.locator(".answer-text")).hasText("Shared: 17 * 23 = 391. I saw 0 earlier messages.");
        assertThat(turn.locator(".decision-status")).containsText("Decided: approve");
        long head = server.engine().info(run).orElseThrow().head();
        @SuppressWarnings("unchecked")
        List<Number> delivered = (List<Number>) page.evaluate("r => window.runcast.delivered[r]", run);
        Assertions.assertThat(delivered.stream().map(Number::longValue).toList())
                .isEqualTo(LongStream.rangeClosed(1, head).boxed().toList());
    }
}
