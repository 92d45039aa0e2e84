package io.catchment.server.api;

/** Carbon's {@code GenericSuccessResponse}. */
public record Success(boolean success) {
    public static final Success OK = new Success(true);
}
