package io.catchment.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** pydantic v2's lax coercions for booleans and integers, with its error messages. */
final class Coerce {
    private static final Set<String> TRUE = Set.of("true", "1", "yes", "y", "on", "t");
    private static final Set<String> FALSE = Set.of("false", "0", "no", "n", "off", "f");

    private Coerce() {}

    static Optional<Boolean> bool(JsonNode v) {
        if (v.isBoolean()) return Optional.of(v.booleanValue());
        if (v.isIntegralNumber() && (v.longValue() == 0 || v.longValue() == 1)) return Optional.of(v.longValue() == 1);
        if (v.isTextual()) {
            String s = v.textValue().strip().toLowerCase(Locale.ROOT);
            if (TRUE.contains(s)) return Optional.of(true);
            if (FALSE.contains(s)) return Optional.of(false);
        }
        return Optional.empty();
    }

    sealed interface IntResult {
        record Ok(long value) implements IntResult {}

        record Bad(String msg, String type) implements IntResult {}
    }

    static IntResult integer(JsonNode v) {
        if (v.isBoolean() || v.isNull() || v.isContainerNode()) {
            return new IntResult.Bad("Input should be a valid integer", "int_type");
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? new IntResult.Ok(v.longValue())
                    : new IntResult.Bad("Input should be a valid integer", "int_type");
        }
        if (v.isNumber()) {
            BigDecimal d = v.decimalValue();
            if (d.stripTrailingZeros().scale() <= 0) return new IntResult.Ok(d.longValue());
            return new IntResult.Bad("Input should be a valid integer, got a number with a fractional part", "int_from_float");
        }
        if (v.isTextual()) {
            try {
                return new IntResult.Ok(Long.parseLong(v.textValue().strip()));
            } catch (NumberFormatException e) {
                return new IntResult.Bad("Input should be a valid integer, unable to parse string as an integer", "int_parsing");
            }
        }
        return new IntResult.Bad("Input should be a valid integer", "int_type");
    }
}
