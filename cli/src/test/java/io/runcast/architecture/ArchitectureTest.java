package io.runcast.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies, read from the main sources of every module: packages form no cycle,
 * each module uses only the modules below it, and along the event's path nothing looks back
 * (event/protocol → store → engine → hub → transports; the server composes them).
 */
class ArchitectureTest {
    /** Modules from the bottom up; each may use only those before it. */
    private static final List<String> MODULES = List.of("api", "client", "server", "agents", "llm", "seeds", "agui", "cli");
    /** Which modules each module may use (besides itself). */
    private static final Map<String, Set<String>> ALLOWED_MODULES = Map.of(
            "api", Set.of(),
            "client", Set.of("api"),
            "server", Set.of("api"),
            "agents", Set.of("api", "server"),
            "llm", Set.of("api", "server", "agents"),
            "seeds", Set.of("api", "server"),
            "agui", Set.of("api", "server"),
            "cli", Set.of("api", "client", "server", "agents", "llm", "seeds", "agui"));
    /** Package prefixes a package must not import, along the event's path. */
    private static final Map<String, Set<String>> FORBIDDEN = Map.of(
            "event", Set.of("protocol", "store", "engine", "hub", "feed", "transport", "server", "control"),
            "protocol", Set.of("store", "engine", "hub", "feed", "transport", "server", "control"),
            "store", Set.of("engine", "hub", "feed", "transport", "server", "control", "config"),
            "engine", Set.of("hub", "feed", "transport", "server", "control"),
            "hub", Set.of("engine", "feed", "transport", "server", "control"),
            // the run feed is a second stream beside the runs': it reads commits and serves through its own hub
            "feed", Set.of("engine", "transport", "server", "control"),
            "control", Set.of("hub", "feed", "transport", "server"),
            // the transports call chats through this interface; what answers them lives in the agents module
            "chat", Set.of("hub", "feed", "transport", "server", "control", "store"),
            "transport", Set.of("server"),
            "agent", Set.of("exec", "demo", "engine", "control", "server", "transport"));

    private static final Pattern PACKAGE = Pattern.compile("^package io\\.runcast\\.([a-z.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.runcast\\.([a-z.]+)\\.[A-Z]", Pattern.MULTILINE);
    /** Fully qualified uses in code, e.g. {@code io.runcast.transport.sse.SseSession.open(...)}. */
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])io\\.runcast\\.([a-z.]+)\\.[A-Z]");

    private record Source(String module, String pkg, Set<String> uses) {}

    @Test
    void packages_formNoCycle() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        for (Source s : sources()) graph.computeIfAbsent(s.pkg(), p -> new TreeSet<>()).addAll(s.uses());
        graph.values().forEach(uses -> uses.retainAll(graph.keySet()));
        List<String> cycles = new ArrayList<>();
        for (String start : graph.keySet()) findCycle(graph, start, new ArrayList<>(List.of(start)), cycles);
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void modules_useOnlyTheModulesBelowThem() throws IOException {
        Map<String, String> moduleOf = new TreeMap<>();
        List<Source> all = sources();
        for (Source s : all) moduleOf.put(s.pkg(), s.module());
        List<String> violations = new ArrayList<>();
        for (Source s : all) {
            for (String used : s.uses()) {
                String m = moduleOf.get(used);
                if (m != null && !m.equals(s.module()) && !ALLOWED_MODULES.get(s.module()).contains(m)) {
                    violations.add(s.module() + ":" + s.pkg() + " -> " + m + ":" + used);
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void alongTheEventsPath_nothingLooksBack() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Source s : sources()) {
            Set<String> forbidden = FORBIDDEN.getOrDefault(top(s.pkg()), Set.of());
            for (String used : s.uses()) {
                if (forbidden.contains(top(used))) violations.add(s.pkg() + " -> " + used);
            }
        }
        assertThat(violations).isEmpty();
    }

    private static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    private static void findCycle(Map<String, Set<String>> graph, String node, List<String> path, List<String> out) {
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (next.equals(path.get(0))) {
                out.add(String.join(" -> ", path) + " -> " + next);
            } else if (!path.contains(next) && next.compareTo(path.get(0)) > 0) {
                path.add(next);
                findCycle(graph, next, path, out);
                path.remove(path.size() - 1);
            }
        }
    }

    /** Javadoc may name any class ({@code @link}); only code counts as a dependency. */
    private static String withoutComments(String java) {
        return java.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }

    private static List<Source> sources() throws IOException {
        List<Source> out = new ArrayList<>();
        for (String module : MODULES) {
            Path root = Path.of("..", module, "src", "main", "java");
            assertThat(root).as("sources of module " + module).isDirectory();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    String text = withoutComments(Files.readString(f));
                    Matcher pm = PACKAGE.matcher(text);
                    if (!pm.find()) continue;
                    String pkg = pm.group(1);
                    Set<String> uses = new TreeSet<>();
                    for (Pattern p : List.of(IMPORT, QUALIFIED)) {
                        Matcher m = p.matcher(text);
                        while (m.find()) uses.add(m.group(1));
                    }
                    uses.remove(pkg);
                    out.add(new Source(module, pkg, uses));
                }
            }
        }
        assertThat(out).hasSizeGreaterThan(50);
        return out;
    }
}
