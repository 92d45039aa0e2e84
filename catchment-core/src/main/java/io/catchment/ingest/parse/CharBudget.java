package io.catchment.ingest.parse;

/** Counts extracted characters against the parser's limit, so a huge file fails instead of exhausting memory. */
final class CharBudget {
    private final long max;
    private long used;

    CharBudget(long max) {
        this.max = max;
    }

    void take(long chars) throws ParseFailure {
        used += chars;
        if (used > max) throw ParseFailure.tooLong(max);
    }

    long max() {
        return max;
    }
}
