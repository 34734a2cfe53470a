package io.runcast.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * One catalogue of error and close codes: the Java enums are the source, and the browser client, its
 * type declarations and the protocol document must list exactly the same codes — no client inventing
 * codes of its own, no code the documentation forgot.
 */
class CatalogueTest {
    private static final Path PROTOCOL_DOC = Path.of("..", "docs", "protocol.md");

    private static final Set<String> ERROR_CODES =
            Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toCollection(TreeSet::new));
    private static final Set<String> CLOSE_CODES =
            Arrays.stream(CloseCode.values()).map(c -> c.name() + "=" + c.code()).collect(Collectors.toCollection(TreeSet::new));

    @Test
    void runcastJs_exportsExactlyTheErrorAndCloseCodes() throws IOException {
        String js = resource("web/runcast.js");
        assertThat(entries(block(js, "export const ErrorCode = Object.freeze({"), "([A-Z_]+): \"([a-z_]+)\""))
                .isEqualTo(upperToWire(ERROR_CODES));
        assertThat(entries(block(js, "export const CloseCode = Object.freeze({"), "([A-Z_]+): (\\d+)")).isEqualTo(CLOSE_CODES);
    }

    @Test
    void runcastJs_raisesOnlyCatalogueCodes() throws IOException {
        String js = resource("web/runcast.js");
        // every error the client raises names its code through ErrorCode (or passes on the server's)
        Matcher m = Pattern.compile("new RuncastError\\(([^,)]+)").matcher(js);
        Set<String> raised = new TreeSet<>();
        while (m.find()) raised.add(m.group(1).trim());
        assertThat(raised).isNotEmpty().allSatisfy(arg -> assertThat(arg).matches("ErrorCode\\.[A-Z_]+|f\\.code|code"));
        Matcher named = Pattern.compile("ErrorCode\\.([A-Z_]+)").matcher(js);
        while (named.find()) assertThat(ErrorCode.valueOf(named.group(1))).isNotNull();
        Matcher literal = Pattern.compile("code !?===? \"([a-z_]+)\"").matcher(js);
        while (literal.find()) assertThat(ERROR_CODES).contains(literal.group(1));
    }

    @Test
    void typeDeclarations_listExactlyTheErrorAndCloseCodes() throws IOException {
        String dts = resource("web/runcast.d.ts");
        assertThat(entries(block(dts, "export declare const ErrorCode: Readonly<{"), "([A-Z_]+): \"([a-z_]+)\""))
                .isEqualTo(upperToWire(ERROR_CODES));
        assertThat(entries(block(dts, "export declare const CloseCode: Readonly<{"), "([A-Z_]+): (\\d+)")).isEqualTo(CLOSE_CODES);
    }

    @Test
    void protocolDoc_tablesListExactlyTheErrorAndCloseCodes() throws IOException {
        String doc = Files.readString(PROTOCOL_DOC);
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("^\\| `([a-z_]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE).matcher(section(doc, "## Error codes"));
        while (m.find()) {
            documented.add(m.group(1));
            assertThat(ErrorCode.fromWire(m.group(1)).httpStatus()).as("HTTP status of " + m.group(1)).isEqualTo(Integer.parseInt(m.group(2)));
        }
        assertThat(documented).isEqualTo(ERROR_CODES);

        Set<Integer> closeDocumented = new TreeSet<>();
        Matcher c = Pattern.compile("^\\| (\\d{4}) \\| .* \\| (yes|no) \\|$", Pattern.MULTILINE).matcher(section(doc, "## Close codes"));
        while (c.find()) {
            int code = Integer.parseInt(c.group(1));
            closeDocumented.add(code);
            assertThat(c.group(2)).as("reconnect? for " + code).isEqualTo(CloseCode.shouldReconnect(code) ? "yes" : "no");
        }
        assertThat(closeDocumented).isEqualTo(Arrays.stream(CloseCode.values()).map(CloseCode::code)
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static Set<String> upperToWire(Set<String> wires) {
        return wires.stream().map(w -> w.toUpperCase() + "=" + w).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> entries(String block, String regex) {
        Matcher m = Pattern.compile(regex).matcher(block);
        Set<String> out = new TreeSet<>();
        while (m.find()) out.add(m.group(1) + "=" + m.group(2));
        return out;
    }

    private static String block(String text, String opening) {
        int start = text.indexOf(opening);
        assertThat(start).as(opening).isNotNegative();
        return text.substring(start + opening.length(), text.indexOf("}", start));
    }

    private static String section(String doc, String heading) {
        int start = doc.indexOf(heading);
        assertThat(start).as(heading).isNotNegative();
        int end = doc.indexOf("\n## ", start + heading.length());
        return doc.substring(start, end < 0 ? doc.length() : end);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CatalogueTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
