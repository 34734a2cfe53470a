package io.runcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.client.ClientConfig;
import io.runcast.client.ConnectionState;
import io.runcast.client.RunListener;
import io.runcast.client.RuncastClient;
import io.runcast.client.RuncastHttp;
import io.runcast.client.SubscribeOptions;
import io.runcast.client.SubscribeReply;
import io.runcast.event.Event;
import io.runcast.feed.RunFeed;
import io.runcast.protocol.RuncastException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code runcast tail RUN}: follows a run (or, with --all, every run) and prints readable, coloured lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Follow a run's events live (resuming across disconnects) and print them readably.")
public final class TailCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN", description = "The run to follow.")
    String run;

    @Option(names = "--all", description = "Follow every run: those open now (from their current end) and every new one.")
    boolean all;

    @Option(names = "--server", defaultValue = "http://localhost:8000", description = "Server URL (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--types", split = ",", paramLabel = "PATTERN", description = "Only these types, e.g. step.*,answer.*")
    List<String> types;

    @Option(names = "--since", defaultValue = "0", description = "Start after this seq (default: the whole history).")
    long since;

    @Option(names = "--color", defaultValue = "auto", description = "auto, always or never (NO_COLOR is honoured).")
    String color;

    /** Kept so that scripts passing it still run; --all no longer polls. */
    @Option(names = "--poll", hidden = true, description = "Deprecated and ignored: --all follows the server's run feed.")
    Long pollMillis;

    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    /** Wakes the --all loop: the feed could not resume (list the runs again), or the client closed. */
    private final Semaphore wake = new Semaphore(0);
    private Printer printer;

    @Override
    public Integer call() throws Exception {
        if (run == null && !all) {
            System.err.println("tail: give a RUN or --all");
            return 2;
        }
        boolean useColor = switch (color) {
            case "always" -> true;
            case "never" -> false;
            default -> System.console() != null && System.getenv("NO_COLOR") == null;
        };
        printer = new Printer(new PrintStream(System.out, true, StandardCharsets.UTF_8), useColor);
        if (pollMillis != null) System.err.println("tail: --poll is deprecated and ignored; --all follows the server's run feed");
        CountDownLatch done = new CountDownLatch(1);
        RuncastClient client = RuncastClient.connect(RuncastHttp.wsUri(server), ClientConfig.DEFAULTS, change -> {
            if (change.state() == ConnectionState.RECONNECTING && change.delayMillis() > 0) {
                printer.status("reconnecting in " + change.delayMillis() + " ms (" + change.reason() + ")");
            } else if (change.state() == ConnectionState.OPEN) {
                printer.status("connected");
            } else if (change.state() == ConnectionState.CLOSED) {
                printer.status("closed: " + change.reason());
                done.countDown();
                wake.release();
            }
        });
        try (client) {
            if (run != null) follow(client, run, since, !all ? done : null);
            if (all) followAll(client, done);
            done.await();
        }
        return 0;
    }

    /**
     * Lists the runs once, follows the open ones from their current end, and then learns of new runs
     * from the server's run feed ({@code $runs}), subscribed from the position the listing gave: no
     * run created after the listing is missed, and nothing is polled. If the feed cannot resume (the
     * server restarted, or we were away too long) the runs are listed again.
     */
    private void followAll(RuncastClient client, CountDownLatch done) throws InterruptedException {
        RuncastHttp http = new RuncastHttp(server);
        boolean first = true;
        while (done.getCount() > 0) {
            JsonNode listing = listRuns(http, done);
            if (listing == null) return;
            for (JsonNode r : listing.path("runs")) {
                String id = r.path("run").asText();
                if (followed.contains(id)) continue;
                String status = r.path("status").asText();
                boolean open = status.equals("running") || status.equals("paused");
                if (first && !open) {
                    followed.add(id); // ended before we started: not news
                    continue;
                }
                follow(client, id, first ? r.path("head").asLong() : 0, null);
            }
            if (first) followFeed(client, listing.path("feed"), done);
            first = false;
            wake.acquire();
        }
    }

    /** GET /api/runs, retried every second while the server cannot be reached; null once the client closed. */
    private JsonNode listRuns(RuncastHttp http, CountDownLatch done) throws InterruptedException {
        String lastError = null;
        while (done.getCount() > 0) {
            try {
                return http.listing(200);
            } catch (RuncastException e) {
                if (!e.getMessage().equals(lastError)) printer.status("cannot list runs: " + e.getMessage());
                lastError = e.getMessage(); // said once, not every attempt
            }
            Thread.sleep(1000);
        }
        return null;
    }

    private void followFeed(RuncastClient client, JsonNode feed, CountDownLatch done) {
        SubscribeOptions from = new SubscribeOptions(List.of(RunFeed.CREATED), feed.path("head").asLong(), feed.path("epoch").asText(null));
        client.subscribe(RunFeed.RUN, from, new RunListener() {
            @Override
            public void onEvent(Event e) {
                follow(client, e.dataNode().path("run").asText(), 0, null);
            }

            @Override
            public void onReset(SubscribeReply reply, long hadSeq) {
                printer.status("the run feed could not resume (server restarted?); listing runs again");
                wake.release(); // runs may have come and gone unseen
            }

            @Override
            public void onError(RuncastException error) {
                printer.status("cannot follow the run feed: " + error.code().wire() + ": " + error.getMessage());
                done.countDown();
                wake.release();
            }
        });
    }

    private void follow(RuncastClient client, String id, long after, CountDownLatch doneWhenEnded) {
        if (!followed.add(id) && doneWhenEnded == null) return;
        client.subscribe(id, new SubscribeOptions(types, after, null), new RunListener() {
            @Override
            public void onEvent(Event e) {
                printer.event(e);
            }

            @Override
            public void onReset(SubscribeReply reply, long hadSeq) {
                printer.status(id + ": history after #" + hadSeq + " is gone on the server; continuing from what it has");
            }

            @Override
            public void onEnd(String r, long seq) {
                printer.status(r + " ended at #" + seq);
                if (doneWhenEnded != null) doneWhenEnded.countDown();
            }

            @Override
            public void onError(RuncastException error) {
                printer.status(id + ": " + error.code().wire() + ": " + error.getMessage());
                if (doneWhenEnded != null) doneWhenEnded.countDown();
            }
        });
    }

    /** Formats events as one line each; answer deltas of a run flow on as one growing line. */
    static final class Printer {
        private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
        private static final String RESET = "\u001b[0m", DIM = "\u001b[2m", BOLD = "\u001b[1m";
        private final PrintStream out;
        private final boolean color;
        private String deltaRun; // the run whose answer line is still open

        Printer(PrintStream out, boolean color) {
            this.out = out;
            this.color = color;
        }

        synchronized void status(String text) {
            closeDelta();
            out.println(paint(DIM, "-- " + text));
        }

        synchronized void event(Event e) {
            JsonNode d = e.dataNode();
            if (e.type().equals("answer.delta") && e.run().equals(deltaRun)) {
                out.print(paint(colour(e.type()), clean(d.path("text").asText())));
                out.flush();
                return;
            }
            closeDelta();
            StringBuilder line = new StringBuilder();
            line.append(paint(DIM, CLOCK.format(e.time()))).append(' ');
            line.append(paint(DIM, e.run() + " #" + e.seq())).append(' ');
            line.append(paint(BOLD + colour(e.type()), String.format("%-18s", e.type()))).append(' ');
            String who = e.agent() == null ? e.step() : e.step() == null ? e.agent() : e.agent() + "/" + e.step();
            if (who != null) line.append(paint(DIM, "[" + clean(who) + "] "));
            if (e.type().equals("answer.delta")) {
                out.print(line.append(paint(colour(e.type()), clean(d.path("text").asText()))));
                out.flush();
                deltaRun = e.run();
                return;
            }
            if (e.type().equals("step.progress") && d.has("progress")) line.append(bar(d.path("progress").asDouble())).append(' ');
            line.append(paint(colour(e.type()), clean(summary(e.type(), d))));
            out.println(line);
        }

        private void closeDelta() {
            if (deltaRun != null) {
                out.println();
                deltaRun = null;
            }
        }

        static String summary(String type, JsonNode d) {
            return switch (type) {
                case "tool.call" -> d.path("tool").asText("tool") + "(" + text(d.get("input")) + ")";
                case "tool.result" -> d.path("tool").asText("tool") + " → " + text(d.has("output") ? d.get("output") : d.get("result"));
                case "step.progress" -> d.path("message").asText(d.path("substep").asText(""));
                case "decision.requested" -> d.path("prompt").asText(d.path("decision").asText()) + "  options: " + text(d.get("options"))
                        + (d.has("timeout_seconds") ? "  (" + d.path("timeout_seconds").asText() + "s)" : "");
                case "decision.resolved" -> d.path("decision").asText() + " → " + text(d.get("choice"));
                case "workflow.stage" -> d.path("stage").asText() + (d.has("completion_percentage") ? " (" + d.path("completion_percentage").asText() + "%)" : "");
                default -> {
                    for (String k : new String[] {"content", "text", "message", "error_message", "error", "reason", "result", "summary", "name"}) {
                        if (d.hasNonNull(k)) yield text(d.get(k));
                    }
                    yield d.isEmpty() ? "" : d.toString();
                }
            };
        }

        private static String text(JsonNode n) {
            if (n == null || n.isNull()) return "";
            return n.isTextual() ? n.asText() : n.toString();
        }

        /** Agent text may carry terminal escapes; show them, never execute them. */
        static String clean(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (char c : s.toCharArray()) {
                if (c == '\n' || c == '\t' || c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) b.append(c);
                else b.append(String.format("\\x%02x", (int) c));
            }
            return b.toString();
        }

        private static String bar(double pct) {
            int filled = (int) Math.round(Math.max(0, Math.min(100, pct)) / 10);
            return "[" + "#".repeat(filled) + "-".repeat(10 - filled) + "] " + String.format("%3.0f%%", pct);
        }

        private String paint(String code, String s) {
            return color && !code.isEmpty() ? code + s + RESET : s;
        }

        /** Seed 002's colours: thinking blue, tool use orange (yellow), tool result purple, answer green, error red. */
        static String colour(String type) {
            return switch (type) {
                case "agent.thinking", "model.selected" -> "\u001b[34m";
                case "tool.call", "agent.action" -> "\u001b[33m";
                case "tool.result", "agent.result" -> "\u001b[35m";
                case "answer.delta", "answer.final", "run.completed", "chat.message" -> "\u001b[32m";
                case "agent.error", "step.failed", "run.failed", "error.recovery" -> "\u001b[31m";
                case "decision.requested", "decision.resolved" -> "\u001b[36m";
                default -> "";
            };
        }
    }
}
