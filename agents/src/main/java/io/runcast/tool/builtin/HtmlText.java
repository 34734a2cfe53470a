package io.runcast.tool.builtin;

import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Reduces an HTML page to the text a person would read: the title, then the body's text with one line
 * per block (paragraph, heading, list item, table row), list items marked "- ". Scripts, styles and
 * other non-text elements are dropped. jsoup does the parsing, so malformed HTML and every entity work.
 */
final class HtmlText {
    private static final String DROPPED = "script, style, noscript, template, svg, canvas, iframe, object, embed, head";
    private static final Set<String> CELLS = Set.of("td", "th");
    private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

    private HtmlText() {}

    static String of(String html, String baseUri) {
        Document doc = Jsoup.parse(html, baseUri);
        String title = doc.title().strip();
        doc.select(DROPPED).remove();
        StringBuilder sb = new StringBuilder();
        if (!title.isEmpty()) sb.append(title).append("\n\n");
        NodeVisitor visitor = new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode t) {
                    String s = t.text(); // whitespace already collapsed
                    if (s.isBlank()) {
                        if (sb.length() > 0 && !endsWithSpace(sb)) sb.append(' ');
                    } else {
                        if (s.startsWith(" ") && endsWithSpace(sb)) s = s.substring(1);
                        sb.append(s);
                    }
                } else if (node instanceof Element e) {
                    if (e.normalName().equals("br")) {
                        lineBreak(sb);
                    } else if (e.normalName().equals("li")) {
                        lineBreak(sb);
                        sb.append("- ");
                    } else if (CELLS.contains(e.normalName()) && !endsWithSpace(sb)) {
                        sb.append(' ');
                    } else if (e.isBlock()) {
                        lineBreak(sb);
                    }
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element e && e.isBlock() && !CELLS.contains(e.normalName())) lineBreak(sb);
            }
        };
        visitor.traverse(doc.body());
        String text = sb.toString().lines().map(String::strip).reduce((a, b) -> a + "\n" + b).orElse("");
        return BLANK_LINES.matcher(text).replaceAll("\n\n").strip();
    }

    private static boolean endsWithSpace(StringBuilder sb) {
        return sb.length() == 0 || Character.isWhitespace(sb.charAt(sb.length() - 1));
    }

    /** Ends the current line unless the text is empty or already at a line start. */
    private static void lineBreak(StringBuilder sb) {
        if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') sb.append('\n');
    }
}
