package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.event.Event;
import io.runcast.event.EventDraft;
import io.runcast.event.Json;
import io.runcast.server.RuncastServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** runcast.js used directly in Chromium, as a page author would: many runs, requests, close codes, backoff. */
class BrowserClientTest {
    static Browser browser;
    static RuncastServer server;
    static BrowserContext context;
    static Page page;

    @BeforeAll
    static void start() {
        browser = Browser.launch();
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build());
        context = browser.context(1024, 768);
        page = Browser.page(context);
        page.navigate("http://127.0.0.1:" + server.port() + "/runcast.d.ts"); // same origin, no app code running
    }

    @org.junit.jupiter.api.AfterEach
    void noScriptErrors() {
        Browser.assertNoScriptErrors();
    }

    @AfterAll
    static void stop() {
        if (context != null) context.close();
        if (server != null) server.close();
        if (browser != null) browser.close();
    }

    @Test
    void subscribesToManyRuns_andPublishesDecidesAndCancels() {
        for (String run : List.of("js-a", "js-b", "js-c")) {
            server.publishAndWait(run, List.of(EventDraft.of("run.started", Json.object())));
        }
        server.publishAndWait("js-b", List.of(EventDraft.of("decision.requested", Json.object().put("decision", "d1")
                .set("options", Json.MAPPER.valueToTree(List.of("left", "right"))))));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { RuncastClient } = await import('/runcast.js');
                  const rc = new RuncastClient();
                  const got = { 'js-a': [], 'js-b': [], 'js-c': [] };
                  const ended = {};
                  for (const run of Object.keys(got)) {
                    rc.subscribe(run, { onEvent: (e) => got[run].push(e.type), onEnd: (e) => (ended[run] = e.seq) });
                  }
                  const pub = await rc.publish('js-a', [{ type: 'agent.thinking', data: { content: 'hi' } },
                                                         { type: 'run.completed', data: {} }]);
                  const dec = await rc.decide('js-b', 'd1', 'right');
                  await rc.cancel('js-c', 'test');
                  let refused = null;
                  try { await rc.decide('js-b', 'd1', 'left'); } catch (e) { refused = e.code; }
                  await rc.cancel('js-b');
                  const until = Date.now() + 10000;
                  while (Object.keys(ended).length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
                  rc.close();
                  return { got, ended, accepted: pub.accepted.map((a) => a.seq), decided: dec.seq, refused, state: rc.state };
                }
                """);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> got = (Map<String, List<String>>) result.get("got");
        assertThat(got.get("js-a")).containsExactly("run.started", "agent.thinking", "run.completed");
        assertThat(got.get("js-b")).containsExactly("run.started", "decision.requested", "decision.resolved", "run.cancelled");
        assertThat(got.get("js-c")).containsExactly("run.started", "run.cancelled");
        assertThat(result.get("accepted")).isEqualTo(List.of(2, 3));
        assertThat(result.get("refused")).isEqualTo("decision_closed"); // known and answered: not "not found"
        assertThat(result.get("state")).isEqualTo("closed");
        Event resolved = server.engine().read("js-b", 0, 10).events().get(2);
        assertThat(resolved.dataNode().path("choice").asText()).isEqualTo("right");
    }

    @Test
    void closeCodes_4000to4499Reconnect_4500andUpDoNot_andBackoffIsFullJitter() {
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const m = await import('/runcast.js');
                  // A socket that says "connected" and then closes with the given code.
                  const fake = (code) => class {
                    constructor() {
                      setTimeout(() => this.onmessage?.({ data: JSON.stringify({ op: 'connected', connection: 'x', heartbeat: 0 }) }), 5);
                      setTimeout(() => this.onclose?.({ code, reason: 'test' }), 15);
                    }
                    send() {}
                    close() {}
                  };
                  const states = async (code) => {
                    const seen = [];
                    const rc = new m.RuncastClient('ws://unused/ws', { WebSocketImpl: fake(code), initialDelayMs: 10, maxDelayMs: 20 });
                    rc.on('state', (s) => seen.push(s.state));
                    rc.connect();
                    await new Promise((res) => setTimeout(res, 120));
                    rc.close();
                    return seen;
                  };
                  const caps = [0, 1, 2, 3, 10].map((n) => m.backoffDelay(n, m.DEFAULTS, () => 0.999999));
                  const lows = [0, 5].map((n) => m.backoffDelay(n, m.DEFAULTS, () => 0));
                  return { slow: await states(4000), restart: await states(4003), violation: await states(4500),
                           unauthorized: await states(4501), normal: await states(1000), caps, lows,
                           unlimited: m.DEFAULTS.maxAttempts === Infinity };
                }
                """);
        for (String reconnecting : List.of("slow", "restart")) {
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) r.get(reconnecting);
            assertThat(seen).as(reconnecting).contains("reconnecting").filteredOn("open"::equals).hasSizeGreaterThan(1);
        }
        for (String final_ : List.of("violation", "unauthorized", "normal")) {
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) r.get(final_);
            assertThat(seen).as(final_).containsExactly("connecting", "open", "closed", "closed");
        }
        assertThat(r.get("caps")).isEqualTo(List.of(499, 999, 1999, 3999, 29999));
        assertThat(r.get("lows")).isEqualTo(List.of(0, 0));
        assertThat(r.get("unlimited")).isEqualTo(true);
    }
}
