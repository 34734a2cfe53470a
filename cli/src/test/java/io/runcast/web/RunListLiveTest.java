package io.runcast.web;

import static io.runcast.testing.TestServer.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.runcast.server.RuncastServer;
import io.runcast.testing.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's run list in headless Chromium, kept live by the run feed: every change shows up
 * with no {@code GET /api/runs} after the first (the page's requests are counted).
 */
class RunListLiveTest {
    static Browser browser;
    BrowserContext context;
    Page page;
    final AtomicInteger listings = new AtomicInteger();

    @BeforeAll
    static void launch() {
        browser = Browser.launch();
    }

    @AfterAll
    static void quit() {
        if (browser != null) browser.close();
    }

    @BeforeEach
    void openPage() {
        context = browser.context(1280, 800);
        page = Browser.page(context);
        page.onRequest(r -> {
            if (URI.create(r.url()).getPath().equals("/api/runs")) listings.incrementAndGet();
        });
    }

    @AfterEach
    void closePage() {
        context.close();
        Browser.assertNoScriptErrors();
    }

    private void ok(int port, String path, String body) {
        var res = post(port, path, body);
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
    }

    private Locator row(String run) {
        return page.locator("tr[data-run='" + run + "']");
    }

    private void awaitStatus(String run, String status) {
        page.locator("tr[data-run='" + run + "'][data-status='" + status + "']").waitFor();
    }

    private void openList(int port) {
        page.navigate("http://127.0.0.1:" + port + "/");
        page.locator(".list-view[data-feed='live']").waitFor();
    }

    @Test
    void runCreatedAfterTheLoad_appearsAndChangesStatus_withoutAnotherListing() {
        try (RuncastServer server = TestServer.start()) {
            int port = server.port();
            ok(port, "/api/runs/before/events", "{\"type\":\"run.started\"}");
            openList(port);
            awaitStatus("before", "running");

            ok(port, "/api/runs/fresh/events", "{\"type\":\"run.started\",\"data\":{\"steps\":2}}");
            awaitStatus("fresh", "running");
            assertThat(page.locator("tbody tr").first().getAttribute("data-run")).as("newest first").isEqualTo("fresh");
            ok(port, "/api/runs/fresh/events", "[{\"type\":\"step.started\",\"step\":\"a\"},{\"type\":\"step.completed\",\"step\":\"a\"},"
                    + "{\"type\":\"step.started\",\"step\":\"b\"},{\"type\":\"step.progress\",\"step\":\"b\",\"data\":{\"progress\":40,\"message\":\"reading\"}}]");
            page.waitForFunction("() => document.querySelector(\"tr[data-run='fresh'] .bar\").getAttribute('aria-valuenow') === '70'");
            assertThat(row("fresh").locator(".note").textContent()).isEqualTo("reading");
            assertThat(row("fresh").locator("td.num").first().textContent()).isEqualTo("5");

            ok(port, "/api/runs/fresh/pause", "");
            awaitStatus("fresh", "paused");
            assertThat(row("fresh").locator(".badge").textContent()).isEqualTo("paused");
            ok(port, "/api/runs/fresh/resume", "");
            awaitStatus("fresh", "running");
            ok(port, "/api/runs/fresh/cancel", "{\"reason\":\"not needed\"}");
            awaitStatus("fresh", "cancelled");
            assertThat(row("fresh").locator(".note").textContent()).isEqualTo("not needed");
            assertThat(row("fresh").locator(".bar").getAttribute("aria-valuenow")).isEqualTo("100");
            ok(port, "/api/runs/before/events", "{\"type\":\"run.completed\"}");
            awaitStatus("before", "completed");
            page.waitForFunction("() => document.getAnimations().every(a => a.playState !== 'running')"); // bars settled
            Browser.screenshot(page, "run-list-live");

            assertThat(listings.get()).as("one GET /api/runs: the initial load").isEqualTo(1);
        }
    }

    @Test
    void pageLoadedMidRun_showsTheBarFromTheListing() {
        try (RuncastServer server = TestServer.start()) {
            int port = server.port();
            ok(port, "/api/runs/mid/events", "[{\"type\":\"run.started\",\"data\":{\"steps\":4}},{\"type\":\"step.completed\",\"step\":\"s1\"}]");
            org.awaitility.Awaitility.await().until(() -> server.services().feed().lastProgress("mid") != null);
            openList(port);
            awaitStatus("mid", "running");
            assertThat(row("mid").locator(".bar").getAttribute("aria-valuenow")).isEqualTo("25");
        }
    }

    @Test
    void abandonedRun_andAServerRestart_theListReloadsOnceAndStaysLive() {
        RuncastServer first = TestServer.start(b -> b.abandonAfter(Duration.ofMillis(1000)));
        int port = first.port();
        try {
            openList(port);
            ok(port, "/api/runs/gone/events", "{\"type\":\"run.started\"}");
            awaitStatus("gone", "running");
            awaitStatus("gone", "failed");
            assertThat(row("gone").locator(".note").textContent()).isEqualTo("abandoned");
            assertThat(listings.get()).isEqualTo(1);
        } finally {
            first.close();
        }
        try (RuncastServer second = TestServer.start(b -> b.port(port))) {
            // the page resumes the feed with the old epoch, hears recovered:false, and reads the list again
            // (waitForCondition, not Awaitility: Playwright hands over request events only while it is called)
            page.waitForCondition(() -> listings.get() == 2, new Page.WaitForConditionOptions().setTimeout(20_000));
            page.locator(".list-view[data-feed='live']").waitFor();
            ok(port, "/api/runs/reborn/events", "{\"type\":\"run.started\"}");
            awaitStatus("reborn", "running");
            assertThat(listings.get()).isEqualTo(2);
        }
    }
}
