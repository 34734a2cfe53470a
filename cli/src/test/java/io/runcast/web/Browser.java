package io.runcast.web;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Debian Chromium driven by Playwright, shared by the dashboard tests. Tests are skipped
 * (not failed) only when /usr/bin/chromium is absent; CI installs it.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    private Browser(Playwright playwright, com.microsoft.playwright.Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Browser launch() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "no Chromium at " + CHROMIUM + " (apt-get install chromium)");
        Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        var b = pw.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        return new Browser(pw, b);
    }

    /** A fresh context (cookies, storage, network state) with a desktop or phone viewport. */
    BrowserContext context(int width, int height) {
        return browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions().setViewportSize(width, height));
    }

    /** Script errors seen by any page: uncaught exceptions and failed event handlers. Tests assert it stays empty. */
    static final List<String> PROBLEMS = new java.util.concurrent.CopyOnWriteArrayList<>();

    static Page page(BrowserContext ctx) {
        Page page = ctx.newPage();
        page.setDefaultTimeout(20_000);
        page.onConsoleMessage(m -> {
            if (!m.type().equals("error")) return;
            System.out.println("[browser console] " + m.text());
            if (m.text().contains("handler failed")) PROBLEMS.add(m.text());
        });
        page.onPageError(e -> {
            System.out.println("[browser page error] " + e);
            PROBLEMS.add(String.valueOf(e));
        });
        return page;
    }

    /** Fails when a page reported a script error since the last call. */
    static void assertNoScriptErrors() {
        List<String> seen = List.copyOf(PROBLEMS);
        PROBLEMS.clear();
        org.assertj.core.api.Assertions.assertThat(seen).as("script errors in the page").isEmpty();
    }

    static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path file = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(file).setFullPage(true));
        System.out.println("screenshot: " + file.toAbsolutePath());
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
