package io.catchment.server.http;

import java.util.List;

/** Thrown when a request does not validate; becomes a 422 with every problem found. */
public final class ValidationFailed extends RuntimeException {
    private final List<Problem> problems;

    public ValidationFailed(List<Problem> problems) {
        super(problems.size() + " validation problem(s)", null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
