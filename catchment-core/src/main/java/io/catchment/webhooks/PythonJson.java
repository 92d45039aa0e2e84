package io.catchment.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes JSON exactly as Python's {@code json.dumps} does with its defaults ({@code ", "} and
 * {@code ": "} separators, {@code ensure_ascii=True}, keys in insertion order), or with
 * {@code separators=(",", ":")} for {@link #compact}. Carbon's receivers verify an HMAC over the
 * bytes Carbon's Python server sent, and some re-serialize the parsed body to check the compact
 * signature, so every byte has to match what Python would have written.
 */
public final class PythonJson {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonJson() {}

    /** {@code json.dumps(value)}. */
    public static String dumps(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out, ", ", ": ");
        return out.toString();
    }

    /** {@code json.dumps(value, separators=(",", ":"))}. */
    public static String compact(JsonNode value) {
        StringBuilder out = new StringBuilder();
        write(value, out, ",", ":");
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, String itemSeparator, String keySeparator) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.append('{');
                Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
                boolean first = true;
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (!first) out.append(itemSeparator);
                    first = false;
                    string(field.getKey(), out);
                    out.append(keySeparator);
                    write(field.getValue(), out, itemSeparator, keySeparator);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) out.append(itemSeparator);
                    write(node.get(i), out, itemSeparator, keySeparator);
                }
                out.append(']');
            }
            case STRING -> string(node.textValue(), out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL, MISSING -> out.append("null");
            case NUMBER -> number(node, out);
            // Binary and POJO nodes never come from parsed JSON or our payload builders.
            default -> throw new IllegalArgumentException("not a JSON value: " + node.getNodeType());
        }
    }

    private static void number(JsonNode node, StringBuilder out) {
        if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else {
            // Python parses every JSON fraction into a float, so decimals are written as floats too.
            out.append(pythonFloat(node.doubleValue()));
        }
    }

    /**
     * Python's {@code float.__repr__}: the shortest digits that round-trip (as Java's
     * {@link Double#toString} picks since JDK 19), positional for exponents -4..15 with at least
     * one decimal, otherwise scientific with a signed two-digit (or longer) exponent.
     */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal shortest = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // d = digits[0].digits[1:] x 10^exponent
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = shortest.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = Integer.toString(Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (exp.length() < 2 ? "0" + exp : exp);
    }

    /** A string with Python's escapes: everything outside printable ASCII as {@code \\uXXXX}. */
    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    // Python's ensure_ascii keeps only ' '..'~' (so DEL is escaped too); astral
                    // characters come out as their two surrogates, as Java already stores them.
                    if (c >= 0x20 && c <= 0x7e) {
                        out.append(c);
                    } else {
                        out.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        out.append('"');
    }
}
