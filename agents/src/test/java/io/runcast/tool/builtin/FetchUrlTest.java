package io.runcast.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.runcast.event.Json;
import io.runcast.tool.ToolContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a local HTTP server on a free port; never the internet. */
class FetchUrlTest {
    private static final String PAGE = """
            <!doctype html><html><head><title>The  Title</title>
            <style>body { color: red }</style><script>var secret = "</p>hidden";</script></head>
            <body><h1>Heading</h1><p>First &amp; <b>bold</b>
            paragraph.</p><ul><li>one</li><li>two</li></ul><noscript>enable js</noscript>
            <p>caf&eacute; &lt;tag&gt;<br>next line</p></body></html>""";

    private HttpServer http;
    private String base;
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final FetchUrl tool = new FetchUrl(Duration.ofSeconds(2), Duration.ofSeconds(5), true);

    @BeforeEach
    void start() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(Executors.newCachedThreadPool());
        http.createContext("/page", ex -> send(ex, 200, "text/html; charset=utf-8", PAGE.getBytes(StandardCharsets.UTF_8)));
        http.createContext("/latin", ex -> send(ex, 200, "text/plain; charset=ISO-8859-1", "café".getBytes(StandardCharsets.ISO_8859_1)));
        http.createContext("/big", ex -> send(ex, 200, "text/plain", "a".repeat(300 * 1024).getBytes(StandardCharsets.US_ASCII)));
        http.createContext("/exact", ex -> send(ex, 200, "text/plain", "b".repeat(FetchUrl.MAX_BYTES).getBytes(StandardCharsets.US_ASCII)));
        http.createContext("/missing", ex -> send(ex, 404, "text/plain", "no such page".getBytes(StandardCharsets.UTF_8)));
        http.createContext("/image", ex -> send(ex, 200, "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
        http.createContext("/moved", ex -> redirect(ex, "/latin"));
        http.createContext("/loop", ex -> redirect(ex, "/loop"));
        http.createContext("/to-file", ex -> redirect(ex, "file:///etc/passwd"));
        http.createContext("/stall", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/plain");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("partial".getBytes(StandardCharsets.UTF_8));
                out.flush();
                stalled.countDown();
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | IOException e) {
                // the client went away: what the test wants
            }
        });
        http.start();
        base = "http://127.0.0.1:" + http.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        release.countDown();
        http.stop(0);
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    private static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    private JsonNode fetch(FetchUrl t, String url) throws Exception {
        return t.call(Json.object().put("url", url), ToolContext.standalone("c"));
    }

    @Test
    void html_isReducedToReadableText_withoutScriptsOrStyles() throws Exception {
        JsonNode r = fetch(tool, base + "/page");
        assertThat(r.path("status").asInt()).isEqualTo(200);
        assertThat(r.path("content_type").asText()).isEqualTo("text/html; charset=utf-8");
        assertThat(r.path("truncated").asBoolean()).isFalse();
        assertThat(r.path("text").asText()).isEqualTo("""
                The Title

                Heading
                First & bold paragraph.
                - one
                - two
                café <tag>
                next line""");
    }

    @Test
    void plainText_isDecodedWithItsCharset_andRedirectsAreFollowed() throws Exception {
        JsonNode r = fetch(tool, base + "/moved");
        assertThat(r.path("text").asText()).isEqualTo("café");
        assertThat(r.path("url").asText()).isEqualTo(base + "/latin");
    }

    @Test
    void aLongBody_isCutAtTheLimit_andFlaggedTruncated() throws Exception {
        JsonNode big = fetch(tool, base + "/big");
        assertThat(big.path("truncated").asBoolean()).isTrue();
        assertThat(big.path("text").asText()).hasSize(FetchUrl.MAX_BYTES);
        JsonNode exact = fetch(tool, base + "/exact");
        assertThat(exact.path("truncated").asBoolean()).isFalse();
        assertThat(exact.path("text").asText()).hasSize(FetchUrl.MAX_BYTES);
    }

    @Test
    void anErrorStatus_isAResult_withItsBody() throws Exception {
        JsonNode r = fetch(tool, base + "/missing");
        assertThat(r.path("status").asInt()).isEqualTo(404);
        assertThat(r.path("text").asText()).isEqualTo("no such page");
    }

    @Test
    void binaryContent_isNotShownAsText() throws Exception {
        JsonNode r = fetch(tool, base + "/image");
        assertThat(r.path("text").isNull()).isTrue();
        assertThat(r.path("note").asText()).contains("image/png");
    }

    @Test
    void otherSchemes_areRefused_alsoWhenARedirectLeadsThere() {
        assertThatThrownBy(() -> fetch(tool, "file:///etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("only http and https URLs can be fetched, not file:");
        assertThatThrownBy(() -> fetch(tool, "ftp://127.0.0.1/x")).hasMessageContaining("not ftp:");
        assertThatThrownBy(() -> fetch(tool, "example.org/page")).hasMessageContaining("without a scheme");
        assertThatThrownBy(() -> fetch(tool, base + "/to-file")).hasMessageContaining("not file:");
    }

    @Test
    void redirectLoops_stopAfterTheLimit() {
        assertThatThrownBy(() -> fetch(tool, base + "/loop")).hasMessageStartingWith("more than 5 redirects");
    }

    @Test
    void byDefault_localAndPrivateAddresses_areRefused() {
        assertThatThrownBy(() -> fetch(new FetchUrl(), base + "/page"))
                .hasMessage("refusing to fetch 127.0.0.1: it resolves to the local or private address 127.0.0.1");
        assertThatThrownBy(() -> fetch(new FetchUrl(), "http://10.1.2.3/")).hasMessageContaining("private address 10.1.2.3");
    }

    @Test
    void aServerThatStalls_endsWithTheReadTimeout() {
        FetchUrl impatient = new FetchUrl(Duration.ofSeconds(2), Duration.ofMillis(300), true);
        assertThatThrownBy(() -> fetch(impatient, base + "/stall"))
                .isInstanceOf(IOException.class)
                .hasMessage("no complete response from 127.0.0.1 within 300 ms");
    }

    @Test
    void cancelling_closesTheConnection_andEndsABlockedRead() throws Exception {
        List<AutoCloseable> registered = new CopyOnWriteArrayList<>();
        ToolContext ctx = new ToolContext() {
            @Override public String call() { return "c"; }
            @Override public void checkpoint() { }
            @Override public boolean cancelled() { return false; }
            @Override public void onCancel(AutoCloseable resource) { registered.add(resource); }
        };
        CompletableFuture<JsonNode> call = CompletableFuture.supplyAsync(() -> {
            try {
                return tool.call(Json.object().put("url", base + "/stall"), ctx);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(stalled.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(call).isNotDone();
        for (AutoCloseable r : registered) r.close();
        // The read timeout is 5 s: ending well before it means the close did it.
        assertThatThrownBy(() -> call.get(3, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
}
