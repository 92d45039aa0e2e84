package io.catchment.server.http;

/** An error with Carbon's {@code {"detail": "..."}} body and a chosen status. */
public final class ApiError extends RuntimeException {
    private final int status;

    public ApiError(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public String detail() {
        return getMessage();
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(400, detail);
    }

    public static ApiError unauthorized(String detail) {
        return new ApiError(401, detail);
    }

    public static ApiError forbidden(String detail) {
        return new ApiError(403, detail);
    }

    public static ApiError notFound(String detail) {
        return new ApiError(404, detail);
    }
}
