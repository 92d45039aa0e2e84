package io.catchment.search;

/**
 * pgvector's text form of a vector, {@code [0.1,-0.2,...]}, both ways. Bound as a string and cast
 * in SQL ({@code CAST(? AS vector)}), it needs no driver-specific types. {@link Float#toString}
 * and pgvector's output both print the shortest decimal that reads back to the same float, so a
 * vector survives the round trip bit for bit.
 */
final class PgVectors {
    private PgVectors() {}

    static String literal(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 12 + 2).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) text.append(',');
            text.append(vector[i]);
        }
        return text.append(']').toString();
    }

    static float[] parse(String text) {
        String body = text.strip();
        if (body.length() < 2 || body.charAt(0) != '[' || body.charAt(body.length() - 1) != ']') {
            throw new IllegalStateException("Not a pgvector value: " + abbreviate(body));
        }
        body = body.substring(1, body.length() - 1);
        if (body.isBlank()) return new float[0];
        float[] vector = new float[count(body, ',') + 1];
        int start = 0;
        for (int i = 0; i < vector.length; i++) {
            int end = body.indexOf(',', start);
            if (end < 0) end = body.length();
            vector[i] = Float.parseFloat(body.substring(start, end).strip());
            start = end + 1;
        }
        return vector;
    }

    private static int count(String text, char c) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == c) n++;
        return n;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
