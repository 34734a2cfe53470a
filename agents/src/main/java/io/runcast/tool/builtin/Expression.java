package io.runcast.tool.builtin;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * A recursive-descent parser that evaluates arithmetic as it parses. Grammar, loosest first:
 * <pre>
 * expr    = term (("+" | "-") term)*
 * term    = unary (("*" | "/" | "%") unary)*
 * unary   = ("-" | "+") unary | power
 * power   = primary ("^" unary)?            right-associative; -2^2 = -(2^2)
 * primary = number | constant | name "(" [expr ("," expr)*] ")" | "(" expr ")"
 * </pre>
 * Errors are {@link CalcException}s whose message ends with the 1-based position of the problem.
 */
final class Expression {
    static final int MAX_LENGTH = 1_000;
    /** Parentheses, calls and unary signs nest at most this deep, so no input can overflow the stack. */
    static final int MAX_DEPTH = 100;

    /** A bad expression: the message says what and where. */
    static final class CalcException extends IllegalArgumentException {
        final int position;

        CalcException(String what, int index) {
            super(what + " at position " + (index + 1));
            this.position = index + 1;
        }
    }

    private final String src;
    private int pos;
    private int depth;

    private Expression(String src) {
        this.src = src;
    }

    static double evaluate(String src) {
        if (src.length() > MAX_LENGTH) throw new IllegalArgumentException("expression longer than " + MAX_LENGTH + " characters");
        Expression p = new Expression(src);
        p.skipSpaces();
        if (p.pos == src.length()) throw new CalcException("empty expression", 0);
        double v = p.expr();
        p.skipSpaces();
        if (p.pos < src.length()) throw p.unexpected();
        return v; // every operation checked its own result, so v is finite
    }

    private double expr() {
        double v = term();
        while (true) {
            skipSpaces();
            int at = pos;
            if (eat('+')) {
                double r = term();
                v = finite(v + r, fmt(v) + " + " + fmt(r), at);
            } else if (eat('-')) {
                double r = term();
                v = finite(v - r, fmt(v) + " - " + fmt(r), at);
            } else {
                return v;
            }
        }
    }

    private double term() {
        double v = unary();
        while (true) {
            skipSpaces();
            int at = pos;
            if (eat('*')) {
                double r = unary();
                v = finite(v * r, fmt(v) + " * " + fmt(r), at);
            } else if (eat('/')) {
                double r = unary();
                if (r == 0) throw new CalcException("division by zero", at);
                v = finite(v / r, fmt(v) + " / " + fmt(r), at);
            } else if (eat('%')) {
                double r = unary();
                if (r == 0) throw new CalcException("modulo by zero", at);
                v %= r;
            } else {
                return v;
            }
        }
    }

    private double unary() {
        skipSpaces();
        int at = pos;
        if (eat('-')) return -nested(at, this::unary);
        if (eat('+')) return nested(at, this::unary);
        return power();
    }

    private double power() {
        double base = primary();
        skipSpaces();
        int at = pos;
        if (!eat('^')) return base;
        double exp = unary();
        return finite(Math.pow(base, exp), fmt(base) + " ^ " + fmt(exp), at);
    }

    private double primary() {
        skipSpaces();
        if (pos == src.length()) throw new CalcException("expected a number, a name or '(' but the expression ended", pos);
        char c = src.charAt(pos);
        int at = pos;
        if (Character.isDigit(c) || c == '.') return number();
        if (Character.isLetter(c)) return name();
        if (eat('(')) {
            double v = nested(at, this::expr);
            skipSpaces();
            if (!eat(')')) throw new CalcException("missing ')' for the '(' at position " + (at + 1) + ", found " + found(), pos);
            return v;
        }
        throw unexpected();
    }

    private double number() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        if (pos < src.length() && src.charAt(pos) == '.') {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
        }
        // An exponent only when digits follow, so "2e" stays "2" then the name "e" (and fails as such).
        if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < src.length() && (src.charAt(p) == '+' || src.charAt(p) == '-')) p++;
            if (p < src.length() && Character.isDigit(src.charAt(p))) {
                pos = p;
                while (pos < src.length() && Character.isDigit(src.charAt(pos))) pos++;
            }
        }
        String text = src.substring(start, pos);
        if (text.equals(".")) throw new CalcException("'.' is not a number", start);
        return finite(Double.parseDouble(text), "the number " + text, start);
    }

    private double name() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) pos++;
        String name = src.substring(start, pos).toLowerCase(Locale.ROOT);
        skipSpaces();
        if (!eat('(')) {
            return switch (name) {
                case "pi" -> Math.PI;
                case "e" -> Math.E;
                default -> throw new CalcException("unknown name '" + src.substring(start, start + name.length())
                        + "' (constants: pi, e; functions need parentheses)", start);
            };
        }
        int open = pos - 1;
        List<Double> args = new ArrayList<>();
        skipSpaces();
        if (!eat(')')) {
            do {
                args.add(nested(open, this::expr));
                skipSpaces();
            } while (eat(','));
            if (!eat(')')) throw new CalcException("missing ')' to close " + name + "( at position " + (open + 1) + ", found " + found(), pos);
        }
        return Functions.apply(name, args, start);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private double nested(int at, DoubleSupplier inner) {
        if (++depth > MAX_DEPTH) throw new CalcException("expression nested more than " + MAX_DEPTH + " levels deep", at);
        try {
            return inner.getAsDouble();
        } finally {
            depth--;
        }
    }

    private void skipSpaces() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) pos++;
    }

    private boolean eat(char c) {
        if (pos < src.length() && src.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private CalcException unexpected() {
        return new CalcException("unexpected " + found(), pos);
    }

    private String found() {
        return pos < src.length() ? "'" + src.charAt(pos) + "'" : "the end of the expression";
    }

    static double finite(double v, String what, int at) {
        if (Double.isNaN(v)) throw new CalcException(what + " is not a real number", at);
        if (Double.isInfinite(v)) throw new CalcException(what + " is too large", at);
        return v;
    }

    /** A number for an error message: plain when short, scientific when huge or tiny. */
    static String fmt(double v) {
        BigDecimal d = BigDecimal.valueOf(v).stripTrailingZeros();
        return Math.abs(v) < 1e15 && (v == 0 || Math.abs(v) >= 1e-6) ? d.toPlainString() : d.toString();
    }

    /** The functions, by lower-case name. */
    private static final class Functions {
        static double apply(String name, List<Double> a, int at) {
            return switch (name) {
                case "sqrt" -> {
                    double x = one(name, a, at);
                    if (x < 0) throw new CalcException("sqrt of a negative number (" + fmt(x) + ")", at);
                    yield Math.sqrt(x);
                }
                case "abs" -> Math.abs(one(name, a, at));
                case "floor" -> Math.floor(one(name, a, at));
                case "ceil" -> Math.ceil(one(name, a, at));
                case "round" -> round(name, a, at);
                case "min", "max" -> {
                    if (a.isEmpty()) throw new CalcException(name + " needs at least 1 argument", at);
                    yield name.equals("min") ? a.stream().mapToDouble(Double::doubleValue).min().orElseThrow()
                            : a.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                }
                case "log" -> {
                    arity(name, a, 1, 2, at);
                    double x = positive(name, a.get(0), at);
                    if (a.size() == 1) yield Math.log10(x);
                    double base = positive(name + " base", a.get(1), at);
                    if (base == 1) throw new CalcException("log base 1 is undefined", at);
                    yield Math.log(x) / Math.log(base);
                }
                case "ln" -> Math.log(positive(name, one(name, a, at), at));
                case "sin" -> Math.sin(one(name, a, at));
                case "cos" -> Math.cos(one(name, a, at));
                case "tan" -> finite(Math.tan(one(name, a, at)), "tan", at);
                default -> throw new CalcException("unknown function '" + name
                        + "' (functions: sqrt abs round floor ceil min max log ln sin cos tan)", at);
            };
        }

        /** round(x) or round(x, digits); halves go away from zero (round(-2.5) = -3). */
        private static double round(String name, List<Double> a, int at) {
            arity(name, a, 1, 2, at);
            double digits = a.size() == 2 ? a.get(1) : 0;
            if (digits != Math.rint(digits) || digits < 0 || digits > 15) {
                throw new CalcException("round's digits must be a whole number from 0 to 15", at);
            }
            return BigDecimal.valueOf(a.get(0)).setScale((int) digits, RoundingMode.HALF_UP).doubleValue();
        }

        private static double one(String name, List<Double> a, int at) {
            arity(name, a, 1, 1, at);
            return a.get(0);
        }

        private static void arity(String name, List<Double> a, int min, int max, int at) {
            if (a.size() < min || a.size() > max) {
                String want = min == max ? String.valueOf(min) : min + " or " + max;
                throw new CalcException(name + " takes " + want + " argument" + (max == 1 ? "" : "s") + ", got " + a.size(), at);
            }
        }

        private static double positive(String what, double x, int at) {
            if (x <= 0) throw new CalcException(what + " of a number that is not positive (" + fmt(x) + ")", at);
            return x;
        }
    }
}
