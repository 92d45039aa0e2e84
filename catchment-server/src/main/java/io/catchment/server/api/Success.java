package io.catchment.server.api;

/** Carbon's {@code GenericSuccessResponse}. */
record Success(boolean success) {
    static final Success OK = new Success(true);
}
