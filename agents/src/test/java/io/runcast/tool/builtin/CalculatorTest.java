package io.runcast.tool.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.runcast.event.Json;
import io.runcast.tool.ToolContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalculatorTest {
    private final Calculator calc = new Calculator();

    private JsonNode result(String expression) {
        return calc.call(Json.object().put("expression", expression), ToolContext.standalone("c")).path("result");
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '=', quoteCharacter = '"', value = {
            "1 + 2 * 3 = 7",
            "(1 + 2) * 3 = 9",
            "10 - 4 - 3 = 3",
            "100 / 10 / 5 = 2",
            "7 % 4 = 3",
            "2 ^ 3 ^ 2 = 512",
            "-2 ^ 2 = -4",
            "(-2) ^ 2 = 4",
            "2 ^ -1 = 0.5",
            "--3 = 3",
            "-(1 + 2) * +4 = -12",
            "2 * 3 ^ 2 = 18",
            "1.5e3 + .5 = 1500.5",
            "0.1 + 0.2 = 0.3",
            "sqrt(16) + abs(-3) = 7",
            "round(2.5) + round(-2.5) = 0",
            "round(3.14159, 2) = 3.14",
            "floor(-1.5) * ceil(1.2) = -4",
            "min(3, 1, 2) + max(3, 1, 2) = 4",
            "log(1000) + ln(e) = 4",
            "log(8, 2) = 3",
            "sin(0) + cos(0) + tan(0) = 1",
            "2 * PI = 6.28318530717959",
            " 12 = 12"})
    void evaluates_withUsualPrecedence(String expression, String expected) {
        assertThat(result(expression).decimalValue()).isEqualByComparingTo(expected.strip());
    }

    @Test
    void wholeResults_areJsonIntegers_otherResultsNumbers() {
        assertThat(result("6 / 3").isIntegralNumber()).isTrue();
        assertThat(result("6 / 4").isIntegralNumber()).isFalse();
        assertThat(calc.call(Json.object().put("expression", "1+1"), ToolContext.standalone("c")).toString())
                .isEqualTo("{\"expression\":\"1+1\",\"result\":2}");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "1 / 0              | division by zero at position 3",
            "5 % (2 - 2)        | modulo by zero at position 3",
            "(1 + 2             | missing ')' for the '(' at position 1, found the end of the expression at position 7",
            "2 +                | expected a number, a name or '(' but the expression ended at position 4",
            "2 * * 3            | unexpected '*' at position 5",
            "2 3                | unexpected '3' at position 3",
            "foo(1)             | unknown function 'foo' (functions: sqrt abs round floor ceil min max log ln sin cos tan) at position 1",
            "x + 1              | unknown name 'x' (constants: pi, e; functions need parentheses) at position 1",
            "sqrt(-4)           | sqrt of a negative number (-4) at position 1",
            "sqrt(1, 2)         | sqrt takes 1 argument, got 2 at position 1",
            "log(0)             | log of a number that is not positive (0) at position 1",
            "max()              | max needs at least 1 argument at position 1",
            "(-8) ^ 0.5         | -8 ^ 0.5 is not a real number at position 6",
            "10 ^ 400           | 10 ^ 400 is too large at position 4",
            "1 + 2)             | unexpected ')' at position 6",
            "'                  | unexpected ''' at position 1",
            "min(1, 2           | missing ')' to close min( at position 4, found the end of the expression at position 9"})
    void badExpressions_fail_sayingWhatAndWhere(String expression, String message) {
        assertThatThrownBy(() -> result(expression.strip()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message.strip());
    }

    @Test
    void deepNesting_andOverlongInput_areRefusedCleanly() {
        assertThatThrownBy(() -> result("(".repeat(150) + "1" + ")".repeat(150)))
                .hasMessageContaining("nested more than 100 levels deep");
        assertThatThrownBy(() -> result("1+".repeat(600) + "1")).hasMessageContaining("longer than 1000 characters");
        assertThat(result("(".repeat(50) + "1" + ")".repeat(50)).asInt()).isEqualTo(1);
    }

    @Test
    void emptyExpression_isAnError() {
        assertThatThrownBy(() -> result("   ")).hasMessage("empty expression at position 1");
    }
}
