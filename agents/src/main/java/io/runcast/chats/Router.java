package io.runcast.chats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.protocol.ErrorCode;
import io.runcast.protocol.RuncastException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Light mode (seed 004): decides per request between the full pipeline ({@code analyze → respond →
 * review}) and the light one ({@code respond} alone, capped) for simple asks, so a greeting or a
 * factoid does not pay for planning and review.
 *
 * <p>The heuristic scores how likely the ask is simple, starting at 0.5:
 * <ul>
 *   <li>a greeting or thanks alone: 0.95;</li>
 *   <li>length: up to 12 words +0.25, up to 25 words +0.1, over 40 words −0.3;</li>
 *   <li>a factoid opener (what, who, when, where, which, how many/much, define, convert, calculate, is,
 *       are, does) or a bare arithmetic expression: +0.2;</li>
 *   <li>each complexity marker (compare, analyse, plan, research, design, step by step, pros and cons,
 *       explain why, write an essay/report/article, and then): −0.25;</li>
 *   <li>more than one question, or several lines / a list: −0.15 each.</li>
 * </ul>
 * The score, clamped to 0..1, is the confidence. In {@code auto} mode the light pipeline is taken only
 * at or above the threshold (default 0.7); below it the full pipeline is the fallback, because a
 * misrouted complex ask costs more than a simple ask that gets the full treatment. The configuration
 * switch can force either pipeline, and a request can too with {@code options.light} ({@code true},
 * {@code false} or {@code "auto"}). Pure and thread-safe.
 */
public final class Router {
    /** The configuration switch. */
    public enum Mode {
        /** Decide per request by the heuristic. */
        AUTO,
        /** Always the full pipeline (light mode off). */
        FULL,
        /** Always the light pipeline. */
        LIGHT;

        public static Mode parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "off", "full", "false" -> FULL;
                case "always", "light", "on", "true" -> LIGHT;
                default -> throw new IllegalArgumentException("light mode must be auto, off or always, not '" + s + "'");
            };
        }
    }

    public static final double DEFAULT_THRESHOLD = 0.7;

    private static final Pattern GREETING = Pattern.compile(
            "^(hi|hello|hey|hallo|yo|good (morning|afternoon|evening)|thanks|thank you|thx|ok|okay|bye)[\\s!.,]*(there|again|a lot|so much)?[\\s!.]*$");
    private static final Pattern FACTOID = Pattern.compile(
            "^(what|who|when|where|which|how many|how much|how old|define|convert|calculate|compute|is|are|does|do|can)\\b.*");
    private static final Pattern ARITHMETIC = Pattern.compile("^[\\d\\s.+\\-*/%^()=?]+$");
    private static final List<Pattern> COMPLEX = List.of(
            Pattern.compile("\\bcompar(e|ing|ison)\\b"), Pattern.compile("\\banaly[sz](e|is|ing)\\b"),
            Pattern.compile("\\bplan(s|ning)?\\b"), Pattern.compile("\\bresearch\\b"), Pattern.compile("\\bdesign\\b"),
            Pattern.compile("\\bstep[- ]by[- ]step\\b"), Pattern.compile("\\bpros and cons\\b"),
            Pattern.compile("\\bexplain why\\b"), Pattern.compile("\\bwrite (a|an|me a|me an) (essay|report|article|story|proposal)\\b"),
            Pattern.compile("\\band then\\b"));

    private final Mode mode;
    private final double threshold;

    public Router(Mode mode, double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) throw new IllegalArgumentException("the light-mode threshold must be within 0..1");
        this.mode = mode;
        this.threshold = threshold;
    }

    public static Router defaults() {
        return new Router(Mode.AUTO, DEFAULT_THRESHOLD);
    }

    /**
     * Routes one message. {@code options.light} overrides the configured mode for this request.
     *
     * @throws RuncastException BAD_REQUEST when {@code options.light} is neither a boolean nor "auto"
     */
    public Route route(String message, ObjectNode options) {
        Mode m = mode;
        JsonNode o = options == null ? null : options.get("light");
        if (o != null && !o.isNull()) {
            if (o.isBoolean()) m = o.asBoolean() ? Mode.LIGHT : Mode.FULL;
            else if (o.isTextual() && o.asText().equals("auto")) m = Mode.AUTO;
            else throw new RuncastException(ErrorCode.BAD_REQUEST, "options.light must be true, false or \"auto\"");
        }
        List<String> why = new ArrayList<>();
        double confidence = score(message, why);
        String signals = String.join(", ", why);
        return switch (m) {
            case LIGHT -> new Route(true, confidence, threshold, "light", "light pipeline forced; " + signals);
            case FULL -> new Route(false, confidence, threshold, "full", "full pipeline forced; " + signals);
            case AUTO -> {
                boolean light = confidence >= threshold;
                yield new Route(light, confidence, threshold, "auto", signals + String.format(Locale.ROOT,
                        "; confidence %.2f %s threshold %.2f", confidence, light ? ">=" : "<", threshold));
            }
        };
    }

    /** The confidence that the ask is simple, with the signals that moved it appended to {@code why}. */
    static double score(String message, List<String> why) {
        String m = message.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        if (GREETING.matcher(m).matches()) {
            why.add("a greeting");
            return 0.95;
        }
        double s = 0.5;
        int words = m.isEmpty() ? 0 : m.split(" ").length;
        if (words <= 12) {
            s += 0.25;
            why.add("short (" + words + " words)");
        } else if (words <= 25) {
            s += 0.1;
            why.add("medium length (" + words + " words)");
        } else if (words > 40) {
            s -= 0.3;
            why.add("long (" + words + " words)");
        }
        if (ARITHMETIC.matcher(m).matches()) {
            s += 0.2;
            why.add("arithmetic");
        } else if (FACTOID.matcher(m).matches()) {
            s += 0.2;
            why.add("factoid question ('" + m.split(" ")[0] + "')");
        }
        for (Pattern p : COMPLEX) {
            var hit = p.matcher(m);
            if (hit.find()) {
                s -= 0.25;
                why.add("complex ('" + hit.group() + "')");
            }
        }
        long questions = message.chars().filter(c -> c == '?').count();
        if (questions > 1) {
            s -= 0.15;
            why.add(questions + " questions");
        }
        if (message.trim().contains("\n")) {
            s -= 0.15;
            why.add("several lines");
        }
        return Math.max(0, Math.min(1, s));
    }
}
