package io.catchment.ingest.parse;

/** A parse that cannot succeed, carried up to {@link TikaDocumentParser} and turned into a {@link ParseResult.Failed}. */
final class ParseFailure extends Exception {
    static final String NO_TEXT = "No text was retrieved from file";

    private final boolean retryable;

    ParseFailure(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    static ParseFailure noText() {
        return new ParseFailure(NO_TEXT, false);
    }

    static ParseFailure tooLong(long maxChars) {
        return new ParseFailure("The text extracted from this file exceeds the limit of " + maxChars + " characters", false);
    }

    boolean retryable() {
        return retryable;
    }

    ParseResult.Failed toResult() {
        return new ParseResult.Failed(getMessage(), retryable);
    }
}
