package io.runcast.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.tool.Tool;
import io.runcast.tool.ToolContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fetch_url}: GETs an http or https URL and returns {@code url} (after redirects), {@code status},
 * {@code content_type}, {@code text} (HTML reduced to readable text; null for binary content) and
 * {@code truncated} (the body was longer than {@link #MAX_BYTES}, of which only the start was read).
 * Results are cached for {@link #CACHE_TTL}.
 *
 * <p>Limits: a connect timeout, a read timeout for the whole response (headers and the body up to the
 * cap), at most {@link #MAX_BYTES} read (the rest is not downloaded), at most {@link #MAX_REDIRECTS}
 * redirects, each checked again for its scheme and host. A non-2xx status is a result, not an error:
 * the model sees the 404.
 *
 * <p>Because a model chooses the URL, by default hosts that resolve to loopback, private, link-local or
 * multicast addresses are refused (no fetching {@code http://169.254.169.254/} or the admin page of the
 * machine next door). The check is on the name as resolved before connecting, so it does not stop DNS
 * rebinding. Tests and trusted setups pass {@code allowPrivateAddresses}.
 */
public final class FetchUrl implements Tool {
    public static final String NAME = "fetch_url";
    public static final int MAX_BYTES = 256 * 1024;
    public static final int MAX_REDIRECTS = 5;
    public static final Duration CACHE_TTL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern CHARSET = Pattern.compile("charset=\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final ObjectNode SCHEMA = Json.parseObject("""
            {"type": "object",
             "properties": {
               "url": {"type": "string", "minLength": 1, "maxLength": 2048,
                 "description": "The http or https URL to fetch."}
             },
             "required": ["url"],
             "additionalProperties": false}""");

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final boolean allowPrivateAddresses;
    private final HttpClient client;

    /** Default timeouts; private and local addresses refused. */
    public FetchUrl() {
        this(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, false);
    }

    public FetchUrl(Duration connectTimeout, Duration readTimeout, boolean allowPrivateAddresses) {
        if (connectTimeout.isNegative() || connectTimeout.isZero() || readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.allowPrivateAddresses = allowPrivateAddresses;
        // HTTP/1.1: no h2c upgrade dance with plain-http servers; redirects are followed by hand (see call).
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Fetches a web page or file over http(s) and returns its status, content type and readable text "
                + "(the first " + MAX_BYTES / 1024 + " KiB).";
    }

    @Override
    public ObjectNode parameters() {
        return SCHEMA.deepCopy();
    }

    @Override
    public Duration cacheTtl() {
        return CACHE_TTL;
    }

    @Override
    public JsonNode call(JsonNode args, ToolContext ctx) throws IOException, InterruptedException {
        URI uri = parse(args.path("url").asText().strip());
        for (int hop = 0; ; hop++) {
            check(uri);
            ctx.checkpoint();
            HttpResponse<CappedBody.Bytes> r = get(uri, ctx);
            String location = r.headers().firstValue("Location").orElse(null);
            if (r.statusCode() >= 300 && r.statusCode() < 400 && location != null) {
                if (hop == MAX_REDIRECTS) throw new IOException("more than " + MAX_REDIRECTS + " redirects, last to " + location);
                uri = uri.resolve(parse(location)); // followed here, so each hop's scheme and host are checked
                continue;
            }
            return response(uri, r);
        }
    }

    /**
     * One GET. Waiting is interruptible and cancelling closes the exchange, so neither a stalled server
     * nor a cancelled run keeps the tool's thread.
     */
    private HttpResponse<CappedBody.Bytes> get(URI uri, ToolContext ctx) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri)
                .GET()
                .header("User-Agent", "Runcast-fetch_url/0.1")
                .header("Accept", "text/html, text/plain;q=0.9, application/json;q=0.9, */*;q=0.5")
                .build();
        CompletableFuture<HttpResponse<CappedBody.Bytes>> f = client.sendAsync(req, info -> new CappedBody(MAX_BYTES));
        ctx.onCancel(() -> f.cancel(true));
        try {
            return f.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no complete response from " + uri.getHost() + " within " + readTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpConnectTimeoutException) {
                throw new IOException("could not connect to " + uri.getHost() + " within " + connectTimeout.toMillis() + " ms");
            }
            if (c instanceof ConnectException) throw new IOException("could not connect to " + uri.getHost() + ": connection refused");
            if (c instanceof IOException io) throw io;
            throw new IOException(c.getMessage() != null ? c.getMessage() : c.toString(), c);
        } finally {
            f.cancel(true); // a no-op once complete; otherwise closes the exchange
        }
    }

    private static ObjectNode response(URI uri, HttpResponse<CappedBody.Bytes> r) {
        String type = r.headers().firstValue("Content-Type").orElse(null);
        CappedBody.Bytes body = r.body();
        ObjectNode out = Json.object();
        out.put("url", uri.toString());
        out.put("status", r.statusCode());
        out.put("content_type", type);
        String mime = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (isText(mime)) {
            String text = new String(body.bytes(), charset(type));
            // A body cut mid-character ends in a replacement character: drop it rather than show it.
            if (body.truncated() && text.endsWith("\uFFFD")) text = text.substring(0, text.length() - 1);
            out.put("text", mime.contains("html") ? HtmlText.of(text, uri.toString()) : text);
        } else {
            out.putNull("text");
            out.put("note", "binary content (" + (mime.isEmpty() ? "no content type" : mime) + ") is not shown");
        }
        out.put("truncated", body.truncated());
        return out;
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getMessage());
        }
    }

    private void check(URI uri) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("only http and https URLs can be fetched, not "
                    + (scheme.isEmpty() ? "a URL without a scheme" : scheme + ":") + " (" + uri + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) throw new IllegalArgumentException("URL has no host: " + uri);
        if (allowPrivateAddresses) return;
        for (InetAddress a : InetAddress.getAllByName(uri.getHost())) {
            if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                    || a.isMulticastAddress() || (a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc)) {
                throw new IllegalArgumentException("refusing to fetch " + uri.getHost() + ": it resolves to the local or private address "
                        + a.getHostAddress());
            }
        }
    }

    /** Text-like types, and no type at all (then the bytes are shown as text). */
    private static boolean isText(String mime) {
        return mime.isEmpty() || mime.startsWith("text/") || mime.endsWith("+json") || mime.endsWith("+xml")
                || mime.equals("application/json") || mime.equals("application/xml") || mime.equals("application/javascript");
    }

    private static Charset charset(String type) {
        if (type != null) {
            Matcher m = CHARSET.matcher(type);
            if (m.find()) {
                try {
                    return Charset.forName(m.group(1));
                } catch (RuntimeException unknown) {
                    // An unknown charset label: UTF-8 is the best guess for the web.
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
