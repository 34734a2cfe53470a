package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.seeds.manager.ManagerFormat;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TcpProxy;
import io.runcast.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard in headless Chromium against a real server. Screenshots go to cli/target/screenshots. */
class DashboardTest {
    static Browser browser;
    static RuncastServer server;
    static TcpProxy proxy;
    BrowserContext context;
    Page page;

    @BeforeAll
    static void startAll() throws Exception {
        browser = Browser.launch();
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").heartbeat(Duration.ofSeconds(2)).build());
        proxy = new TcpProxy(server.port());
        server.endpoints().add(new ManagerFormat(server.services()));
    }

    @AfterAll
    static void stopAll() throws Exception {
        if (proxy != null) proxy.close();
        if (server != null) server.close();
        if (browser != null) browser.close();
    }

    @BeforeEach
    void openContext() {
        context = browser.context(1280, 900);
        page = Browser.page(context);
    }

    @AfterEach
    void closeContext() {
        context.close();
        Browser.assertNoScriptErrors();
    }

    static String base() {
        return "http://127.0.0.1:" + server.port();
    }

    static Event pub(String run, String type, String step, String agent, ObjectNode data) {
        return server.publishAndWait(run, List.of(EventDraft.of(type, step, agent, data))).get(0);
    }

    static Event pub(String run, String type, ObjectNode data) {
        return pub(run, type, null, null, data);
    }

    static ObjectNode data(Object... kv) {
        ObjectNode o = Json.object();
        for (int i = 0; i < kv.length; i += 2) o.set((String) kv[i], Json.MAPPER.valueToTree(kv[i + 1]));
        return o;
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void openRun(String run) {
        page.navigate(base() + "/#/runs/" + run);
        page.locator("#conn.open").waitFor();
    }

    @Test
    void liveRun_showsTimelineProgressStagesAndFinalAnswer() {
        String run = "live-1";
        openRun(run);
        List<String> stages = List.of("Intake", "Research", "Write", "Review");
        pub(run, "run.started", data("query", "How do tides work?", "steps",
                List.of(data("id", "research", "name", "Research sources"), data("id", "write", "name", "Write the answer"))));
        pub(run, "workflow.stage", data("stage", "Research", "stages", stages, "completion_percentage", 25));
        pub(run, "step.started", "research", "researcher", data("name", "Research sources"));
        pub(run, "agent.thinking", "research", "researcher", data("content", "Tides are caused by the moon; let me check."));
        pub(run, "model.selected", null, "researcher", data("model", "small-fast", "reasoning", "a lookup is simple"));
        pub(run, "tool.call", "research", "researcher", data("tool", "search", "input", data("q", "tides moon gravity")));
        pub(run, "step.progress", "research", "researcher", data("progress", 50, "message", "reading 3 sources"));
        pub(run, "tool.result", "research", "researcher", data("tool", "search", "output", "3 results"));
        pub(run, "error.recovery", "research", "researcher", data("error_message", "rate limited", "strategy", "retry in 1s"));
        pub(run, "step.completed", "research", "researcher", data());
        pub(run, "workflow.stage", data("stage", "Write", "stages", stages, "completion_percentage", 75));
        pub(run, "step.started", "write", "writer", data("name", "Write the answer"));
        String[] tokens = {"Tides ", "are ", "caused ", "mainly ", "by ", "the ", "Moon's ", "gravity."};
        StringBuilder answer = new StringBuilder();
        for (int i = 0; i < tokens.length; i++) {
            answer.append(tokens[i]);
            pub(run, "answer.delta", "write", "writer", data("text", tokens[i]));
            if (i == 3) {
                page.waitForFunction("n => document.getElementById('answer').textContent.length === n", answer.length());
                assertThat(page.locator(".pipeline li.current").textContent()).isEqualTo("Write");
                assertThat(page.locator(".pipeline li.done").allTextContents()).containsExactly("Intake", "Research");
                Browser.screenshot(page, "run-live-streaming");
            }
            pause(30);
        }
        page.waitForFunction("t => document.getElementById('answer').textContent === t", answer.toString());
        pub(run, "step.progress", "write", "writer", data("progress", 100));
        pub(run, "answer.final", "write", "writer", data("text", answer.toString()));
        pub(run, "step.completed", "write", "writer", data());
        pub(run, "run.completed", data("summary", data("tokens", 8)));

        page.locator("#run-status.completed").waitFor();
        assertThat(page.locator("#answer").textContent()).isEqualTo(answer.toString());
        assertThat(page.locator(".progress-block .bar.overall").getAttribute("aria-valuenow")).isEqualTo("100");
        assertThat(page.locator(".step.completed").count()).isEqualTo(2);
        assertThat(page.locator(".pipeline li.done").allTextContents()).containsExactly("Intake", "Research", "Write", "Review");
        // Kinds carry seed 002's colours.
        assertThat(background(".ev.k-thinking")).isEqualTo("rgb(227, 242, 253)");
        assertThat(background(".ev.k-tool")).isEqualTo("rgb(255, 243, 224)");
        assertThat(background(".ev.k-result")).isEqualTo("rgb(243, 229, 245)");
        assertThat(background(".ev[data-type='answer.final']")).isEqualTo("rgb(232, 245, 233)");
        assertThat(background(".ev.k-error")).isEqualTo("rgb(255, 235, 238)");
        // Deltas grow one row; every other event has its own.
        assertThat(page.locator("#timeline .ev").count()).isEqualTo(17);
        assertThat(page.locator("#btn-cancel").isDisabled()).isTrue();
        Browser.screenshot(page, "run-completed");

        // Filters hide a kind and bring it back.
        page.locator(".chip[data-kind=thinking]").click();
        assertThat(page.locator(".ev.k-thinking").first().isVisible()).isFalse();
        page.locator(".chip[data-kind=thinking]").click();
        assertThat(page.locator(".ev.k-thinking").first().isVisible()).isTrue();

        page.setViewportSize(390, 844);
        Browser.screenshot(page, "run-completed-phone");
        int overflow = ((Number) page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue();
        assertThat(overflow).as("no horizontal scrolling at phone width").isLessThanOrEqualTo(0);
    }

    private String background(String selector) {
        return (String) page.locator(selector).first().evaluate("e => getComputedStyle(e).backgroundColor");
    }

    @Test
    void runList_showsNewRunsWithStatusAndProgress() {
        pub("list-done", "run.started", data());
        pub("list-done", "run.completed", data());
        page.navigate(base() + "/");
        page.locator("tr[data-run='list-done']").waitFor();
        String run = "list-new-" + System.nanoTime();
        pub(run, "run.started", data("steps", 2));
        Locator row = page.locator("tr[data-run='" + run + "']");
        row.waitFor();
        assertThat(row.locator(".badge").textContent()).isEqualTo("running");
        pub(run, "step.started", "a", null, data());
        pub(run, "step.completed", "a", null, data());
        pub(run, "step.started", "b", null, data());
        pub(run, "step.progress", "b", null, data("progress", 40));
        page.waitForFunction("r => document.querySelector(`tr[data-run='${r}'] .bar`).getAttribute('aria-valuenow') === '70'", run);
        assertThat(page.locator("tbody tr").first().getAttribute("data-run")).isEqualTo(run); // newest first
        assertThat(page.locator("tr[data-run='list-done'] .badge").textContent()).isEqualTo("completed");
        pause(2500); // let the bar's transition and the next poll settle for the picture
        Browser.screenshot(page, "run-list");
        page.setViewportSize(390, 844);
        Browser.screenshot(page, "run-list-phone");
        row.locator("a").click();
        page.waitForURL("**/#/runs/" + run);
        page.locator(".run-view .ev").first().waitFor();
        assertThat(page.locator(".run-id").textContent()).isEqualTo(run);
    }

    @Test
    void whoWatchesARun_isShownByFormat_inTheListAndOnItsPage() throws Exception {
        String session = Json.parse(TestServer.post(server.port(), "/api/chat/sessions", "{\"name\":\"watched\"}").body())
                .path("id").asText();
        String run = session + ".1";
        pub(run, "run.started", data("kind", "chat", "conversation", session, "turn", 1, "message", "Estimate the job"));
        // a seed-003 client watching the session from its URL follows the session's open turn
        java.net.http.WebSocket seed = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/api/chat/ws?session_id=" + session),
                        new java.net.http.WebSocket.Listener() {}).join();
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Json.parse(TestServer.get(server.port(), "/api/runs/" + run).body()).path("watched_by").path("seed-003").asInt() != 1) {
                assertThat(System.nanoTime()).as("the seed-003 connection watches the turn").isLessThan(deadline);
                pause(20);
            }
            page.navigate(base() + "/");
            Locator chip = page.locator("tr[data-run='" + run + "'] .watch[data-transport='seed-003']");
            chip.waitFor();
            assertThat(chip.textContent()).isEqualTo("003 manager workflow1");
            assertThat(chip.getAttribute("title")).isEqualTo("1 connection watching through seed-003");
            Browser.screenshot(page, "run-list-watched-by");

            openRun(run);
            Locator onPage = page.locator("#run-watchers .watch[data-transport='seed-003']");
            onPage.waitFor();
            // the page's own subscription shows as a WebSocket watcher by its next refresh
            page.locator("#run-watchers .watch[data-transport='ws']").waitFor(new Locator.WaitForOptions().setTimeout(15_000));
            Browser.screenshot(page, "run-watched-by");
            seed.abort();
            onPage.waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.DETACHED)
                    .setTimeout(15_000));
        } finally {
            seed.abort();
            pub(run, "run.completed", data());
        }
    }

    @Test
    void decision_isAnsweredByClickingAnOption() {
        String run = "decide-1";
        pub(run, "run.started", data());
        pub(run, "decision.requested", data("decision", "plan-ok", "prompt", "Proceed with the 3-step plan?",
                "options", List.of("approve", "revise", "abort"), "default", "approve", "timeout_seconds", 90,
                "context", data("steps", 3)));
        openRun(run);
        Locator card = page.locator(".decision[data-decision='plan-ok']");
        card.waitFor();
        assertThat(card.locator(".prompt").textContent()).isEqualTo("Proceed with the 3-step plan?");
        assertThat(card.locator(".option").allTextContents()).containsExactly("approve (default)", "revise", "abort");
        page.waitForFunction("() => /\\d+s left|\\d+:\\d\\d left/.test(document.querySelector('.countdown').textContent)");
        Browser.screenshot(page, "decision-open");

        card.locator(".option[data-choice='revise']").click();
        card.locator(".decision-status").filter(new Locator.FilterOptions().setHasText("Decided: revise")).waitFor();
        assertThat(card.getAttribute("class")).contains("resolved");
        assertThat(card.locator(".option.chosen").textContent()).isEqualTo("revise");
        var history = server.engine().read(run, 0, 100).events();
        Event resolved = history.stream().filter(e -> e.type().equals("decision.resolved")).findFirst().orElseThrow();
        assertThat(resolved.dataNode().path("choice").asText()).isEqualTo("revise");
        assertThat(resolved.dataNode().path("decision").asText()).isEqualTo("plan-ok");
        Browser.screenshot(page, "decision-resolved");
    }

    @Test
    void autoScroll_followsNewEvents_untilTheReaderScrollsUp() {
        String run = "scroll-1";
        for (int i = 1; i <= 60; i++) pub(run, "agent.thinking", data("content", "line " + i));
        openRun(run);
        waitDelivered(run, 60);
        page.waitForFunction("() => { const t = document.getElementById('timeline'); return t.scrollTop + t.clientHeight >= t.scrollHeight - 30; }");
        page.evaluate("() => { const t = document.getElementById('timeline'); t.scrollTop = 0; t.dispatchEvent(new Event('scroll')); }");
        for (int i = 61; i <= 65; i++) pub(run, "agent.thinking", data("content", "line " + i));
        waitDelivered(run, 65);
        assertThat(((Number) page.evaluate("() => document.getElementById('timeline').scrollTop")).intValue()).isZero();
        assertThat(page.locator(".more").textContent()).isEqualTo("↓ 5 new");
        Browser.screenshot(page, "autoscroll-paused");
        page.locator(".more").click();
        page.waitForFunction("() => { const t = document.getElementById('timeline'); return t.scrollTop + t.clientHeight >= t.scrollHeight - 30; }");
        assertThat(page.locator(".more").isVisible()).isFalse();
    }

    @Test
    void controls_pauseResumeCancel_fromTheRunPage() {
        String run = "ctl-1";
        pub(run, "run.started", data());
        openRun(run);
        page.locator("#run-status.running").waitFor();
        page.locator("#btn-pause").click();
        page.locator("#run-status.paused").waitFor();
        page.locator("#btn-resume").click();
        page.locator("#run-status.running").waitFor();
        page.onDialog(d -> d.accept());
        page.locator("#btn-cancel").click();
        page.locator("#run-status.cancelled").waitFor();
        assertThat(page.locator(".ev").allTextContents()).anyMatch(t -> t.contains("run.paused"))
                .anyMatch(t -> t.contains("run.resumed")).anyMatch(t -> t.contains("run.cancelled"));
    }

    @Test
    void networkCutAndRestored_midRun_everyEventShownExactlyOnceInOrder() {
        String run = "cut-1";
        page.navigate("http://127.0.0.1:" + proxy.port() + "/#/runs/" + run);
        page.locator("#conn.open").waitFor();
        StringBuilder answer = new StringBuilder();
        List<String> expectedRows = new ArrayList<>();
        int seq = 0;
        long seed = System.nanoTime();
        System.out.println("networkCut browser seed=" + seed);
        java.util.Random random = new java.util.Random(seed);
        pub(run, "run.started", data());
        seq++;
        for (int phase = 0; phase < 5; phase++) {
            int n = 5 + random.nextInt(10);
            for (int i = 0; i < n; i++) {
                seq++;
                if (random.nextBoolean()) {
                    String tok = "t" + seq + " ";
                    answer.append(tok);
                    pub(run, "answer.delta", data("text", tok));
                } else {
                    pub(run, "agent.thinking", data("content", "thought at " + seq));
                }
            }
            if (phase == 1) {
                // The browser goes offline: the page must say so, then catch up when back.
                waitDelivered(run, seq);
                context.setOffline(true);
                page.locator("#conn.reconnecting").waitFor();
                Browser.screenshot(page, "network-cut-reconnecting");
            } else if (phase == 2) {
                context.setOffline(false);
            } else if (phase == 3) {
                // The server side of the network drops every connection, and refuses new ones for a while.
                proxy.down(true);
                proxy.cutAll();
                page.locator("#conn.reconnecting").waitFor();
            } else if (phase == 4) {
                pause(300);
                proxy.down(false);
            }
        }
        pub(run, "run.completed", data());
        seq++;
        waitDelivered(run, seq);
        page.locator("#run-status.completed").waitFor();
        page.locator("#conn.open").waitFor();

        List<Long> expected = LongStream.rangeClosed(1, seq).boxed().toList();
        @SuppressWarnings("unchecked")
        List<Number> delivered = (List<Number>) page.evaluate("r => window.runcast.delivered[r]", run);
        assertThat(delivered.stream().map(Number::longValue).toList()).isEqualTo(expected);
        @SuppressWarnings("unchecked")
        List<String> rowSeqs = (List<String>) page.evaluate("() => [...document.querySelectorAll('#timeline .ev')].map(e => e.dataset.seq)");
        List<Long> rows = rowSeqs.stream().map(Long::parseLong).toList();
        assertThat(rows).isSorted().doesNotHaveDuplicates();
        assertThat(page.locator("#answer").textContent()).isEqualTo(answer.toString());
        @SuppressWarnings("unchecked")
        List<String> states = (List<String>) page.evaluate("() => window.runcast.states");
        assertThat(states).contains("reconnecting", "open");
        Browser.screenshot(page, "network-restored-complete");
    }

    @Test
    void silentNetwork_isNoticedByTheHeartbeatWatchdog_andTheRunCatchesUp() {
        String run = "silent-1";
        page.navigate("http://127.0.0.1:" + proxy.port() + "/#/runs/" + run);
        page.locator("#conn.open").waitFor();
        pub(run, "agent.thinking", data("content", "before"));
        waitDelivered(run, 1);
        proxy.freeze(true); // no close, no error: only silence (server heartbeat is 2 s, so ~5 s)
        try {
            pub(run, "agent.thinking", data("content", "during"));
            page.locator("#conn.reconnecting").waitFor();
        } finally {
            proxy.freeze(false);
            proxy.cutAll();
        }
        pub(run, "run.completed", data());
        waitDelivered(run, 3);
        page.locator("#run-status.completed").waitFor();
        @SuppressWarnings("unchecked")
        List<Number> delivered = (List<Number>) page.evaluate("r => window.runcast.delivered[r]", run);
        assertThat(delivered.stream().map(Number::longValue).toList()).containsExactly(1L, 2L, 3L);
    }

    private void waitDelivered(String run, int n) {
        page.waitForFunction("([r, n]) => (window.runcast.delivered[r] || []).length >= n", List.of(run, n));
    }

    @Test
    void htmlAndScriptPayloads_areShownAsText() {
        String run = "xss-1";
        String evil = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script><b>bold?</b>";
        pub(run, "run.started", data("steps", List.of(data("id", "s1", "name", "<i>step</i><img src=x onerror=window.__pwned=3>"))));
        pub(run, "agent.thinking", "s1", "<svg onload=window.__pwned=4>", data("content", evil));
        pub(run, "tool.call", "s1", null, data("tool", "<iframe src=javascript:window.__pwned=5>", "input", evil));
        pub(run, "decision.requested", data("decision", "d<1>", "prompt", evil, "options", List.of("<b>yes</b>", "no")));
        pub(run, "workflow.stage", data("stage", "<script>window.__pwned=6</script>", "stages", List.of("<u>a</u>")));
        pub(run, "answer.delta", data("text", "<script>window.__pwned=7</script>"));
        openRun(run);
        page.locator(".ev[data-type='answer.delta']").waitFor();
        // A witness: an image of ours, outside #main, that fails to load from the same URL as the injected
        // ones. Once its error handler has run, any injected handler has had the same chance to run.
        page.evaluate("() => { const i = document.createElement('img'); i.id = 'witness';"
                + " i.onerror = () => { window.__witness = 1; i.remove(); }; i.src = 'x'; document.body.appendChild(i); }");
        page.waitForFunction("() => window.__witness === 1");
        assertThat(page.locator(".ev.k-thinking .text").textContent()).isEqualTo(evil);
        assertThat(page.locator(".decision .prompt").textContent()).isEqualTo(evil);
        assertThat(page.locator("#answer").textContent()).isEqualTo("<script>window.__pwned=7</script>");
        assertThat(page.locator(".step-name").textContent()).isEqualTo("<i>step</i><img src=x onerror=window.__pwned=3>");
        assertThat(page.locator("#main img, #main script, #main iframe, #main b, #main i, #main u, #main svg:not(.sparkline)").count()).isZero();
        assertThat(page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
        Browser.screenshot(page, "html-payload-inert");
    }
}
