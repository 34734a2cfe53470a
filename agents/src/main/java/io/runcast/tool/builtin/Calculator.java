package io.runcast.tool.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runcast.event.Json;
import io.runcast.tool.Tool;
import io.runcast.tool.ToolContext;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * {@code calculator}: evaluates an arithmetic expression exactly as {@link Expression} parses it, so a
 * model does not do arithmetic in its head. The result is rounded to 15 significant digits (so
 * {@code 0.1 + 0.2} is {@code 0.3}) and is an integer in JSON when it is whole.
 */
public final class Calculator implements Tool {
    public static final String NAME = "calculator";
    private static final MathContext DIGITS = new MathContext(15);
    private static final ObjectNode SCHEMA = Json.parseObject("""
            {"type": "object",
             "properties": {
               "expression": {"type": "string", "minLength": 1, "maxLength": 1000,
                 "description": "Arithmetic such as (2 + 3) * 4 ^ 2 / sqrt(16). Operators + - * / % ^ and parentheses; functions sqrt abs round floor ceil min max log (base 10, or log(x, base)) ln sin cos tan (radians); constants pi e."}
             },
             "required": ["expression"],
             "additionalProperties": false}""");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Evaluates an arithmetic expression and returns the number. Use it for any calculation.";
    }

    @Override
    public ObjectNode parameters() {
        return SCHEMA.deepCopy();
    }

    @Override
    public JsonNode call(JsonNode args, ToolContext ctx) {
        String expression = args.path("expression").asText();
        ObjectNode out = Json.object();
        out.put("expression", expression);
        out.set("result", number(Expression.evaluate(expression)));
        return out;
    }

    /** 15 significant digits; whole numbers that fit a long become JSON integers. */
    static JsonNode number(double v) {
        BigDecimal d = new BigDecimal(v).round(DIGITS).stripTrailingZeros();
        if (d.signum() == 0) return Json.MAPPER.getNodeFactory().numberNode(0L);
        if (d.scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
            return Json.MAPPER.getNodeFactory().numberNode(d.longValueExact());
        }
        return Json.MAPPER.getNodeFactory().numberNode(d.doubleValue());
    }
}
