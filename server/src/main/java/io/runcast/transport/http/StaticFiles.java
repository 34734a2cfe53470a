package io.runcast.transport.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The dashboard and browser client, served from the classpath folder {@code web/}, cached after first read. */
final class StaticFiles {
    record File(String contentType, byte[] bytes) {}

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8", "ts", "text/plain; charset=utf-8",
            "css", "text/css; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json; charset=utf-8", "ico", "image/x-icon");

    private final Map<String, Optional<File>> cache = new ConcurrentHashMap<>();

    Optional<File> get(String path) {
        if (path.equals("/") || path.isEmpty()) path = "/index.html";
        if (path.contains("..") || path.contains("//") || path.contains("\\")) return Optional.empty();
        return cache.computeIfAbsent(path, StaticFiles::load);
    }

    private static Optional<File> load(String path) {
        int dot = path.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(path.substring(dot + 1));
        if (type == null) return Optional.empty();
        try (InputStream in = StaticFiles.class.getResourceAsStream("/web" + path)) {
            if (in == null) return Optional.empty();
            return Optional.of(new File(type, in.readAllBytes()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
