package io.runcast.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.runcast.demo.DemoPlan;
import io.runcast.config.RuncastConfig;
import io.runcast.server.RuncastServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The dashboard following the real plan executor's demo run (agents, tools, a decision), start to end. */
class DemoRunTest {
    @Test
    void demoRun_isFollowedLive_andItsDecisionAnsweredByClick() throws Exception {
        try (Browser browser = Browser.launch();
             RuncastServer server = RuncastServer.start(RuncastConfig.builder().port(0).store("memory").build())) {
            List<String> runs = new CopyOnWriteArrayList<>();
            DemoPlan.Options options = new DemoPlan.Options("demo", 0.3, Duration.ofSeconds(30), Duration.ofSeconds(60), runs::add);
            try (AutoCloseable loop = DemoPlan.runForever(server.engine(), server.streamControl(), options)) {
                BrowserContext ctx = browser.context(1280, 900);
                Page page = Browser.page(ctx);
                page.navigate("http://127.0.0.1:" + server.port() + "/");
                page.locator("tbody tr").first().waitFor();
                String run = page.locator("tbody tr").first().getAttribute("data-run");
                Browser.screenshot(page, "demo-run-list");
                page.locator("tbody tr a").first().click();
                page.locator("#conn.open").waitFor();
                page.locator(".run-view .ev").first().waitFor();

                // Answer a decision if the variant asks one; otherwise watch it finish.
                Locator options1 = page.locator(".decision.open .option");
                Locator terminal = page.locator("#run-status.completed, #run-status.failed, #run-status.cancelled");
                page.waitForCondition(() -> options1.count() > 0 || terminal.count() > 0, new Page.WaitForConditionOptions().setTimeout(60_000));
                if (options1.count() > 0) {
                    Browser.screenshot(page, "demo-run-decision");
                    options1.first().click();
                    page.locator(".decision.resolved").first().waitFor();
                }
                page.waitForCondition(() -> terminal.count() > 0, new Page.WaitForConditionOptions().setTimeout(90_000));
                Browser.screenshot(page, "demo-run-finished");

                long head = server.engine().info(run).orElseThrow().head();
                @SuppressWarnings("unchecked")
                List<Number> delivered = (List<Number>) page.evaluate("r => window.runcast.delivered[r]", run);
                assertThat(delivered.stream().map(Number::longValue).toList())
                        .isEqualTo(LongStream.rangeClosed(1, head).boxed().toList());
                assertThat(page.locator(".step").count()).isPositive();
                ctx.close();
                Browser.assertNoScriptErrors();
            }
        }
    }
}
