package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.runcast.config.RuncastConfig;
import io.runcast.engine.Limits;
import io.runcast.server.RuncastServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** runcast.js keeps the limits of its connected frame and refuses an over-limit publish itself. */
class BrowserLimitsTest {
    static Browser browser;
    static RuncastServer server;
    static BrowserContext context;
    static Page page;

    @BeforeAll
    static void start() {
        browser = Browser.launch();
        server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").maxFrameBytes(8192)
                .limits(new Limits(3000, 7, 40)).build());
        context = browser.context(1024, 768);
        page = Browser.page(context);
        page.navigate("http://127.0.0.1:" + server.port() + "/runcast.d.ts"); // same origin, no app code running
    }

    @AfterEach
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
    @SuppressWarnings("unchecked")
    void overLimitPublish_isRefusedWithTooLarge_withoutSending() {
        Map<String, Object> r = (Map<String, Object>) page.evaluate("""
                async () => {
                  const { RuncastClient } = await import('/runcast.js');
                  const rc = new RuncastClient();
                  const connected = new Promise(resolve => rc.on('connected', resolve));
                  rc.connect();
                  await connected;
                  const outcome = async (p) => { try { await p; return 'sent'; } catch (e) { return e.code + ' ' + e.message; } };
                  const small = { type: 'x.s', data: { p: 'a' } };
                  const sized = (n) => ({ type: 'x.s', data: { p: 'x'.repeat(n - 8) } });
                  const connection = rc.connection;
                  const out = {
                    limits: rc.limits,
                    batch: await outcome(rc.publish('js-lim', Array(8).fill(small))),
                    event: await outcome(rc.publish('js-lim', sized(3001))),
                    frame: await outcome(rc.publish('js-lim', [sized(2900), sized(2900), sized(2900)])),
                    name: await outcome(rc.publish('js-lim', { type: 'x.s', step: 's'.repeat(41) })),
                    seqs: (await rc.publish('js-lim', [sized(3000), ...Array(6).fill(small)])).accepted.map(a => a.seq),
                  };
                  out.sameConnection = rc.connection === connection;
                  rc.close();
                  return out;
                }""");
        assertThat((Map<String, Object>) r.get("limits")).containsEntry("max_frame_bytes", 8192).containsEntry("max_batch", 7)
                .containsEntry("max_event_bytes", 3000).containsEntry("max_name_length", 40);
        assertThat((String) r.get("batch")).startsWith("too_large").contains("(max_batch)");
        assertThat((String) r.get("event")).startsWith("too_large").contains("(max_event_bytes)");
        assertThat((String) r.get("frame")).startsWith("too_large").contains("(max_frame_bytes)");
        assertThat((String) r.get("name")).startsWith("bad_request").contains("step must be 1..40");
        assertThat((List<Object>) r.get("seqs")).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(r.get("sameConnection")).isEqualTo(true);
    }
}
