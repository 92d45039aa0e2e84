package io.catchment.connector.credentials;

import io.catchment.connector.credentials.ProviderHttp.Answer;
import io.catchment.connector.credentials.ProviderHttp.NoAnswer;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;

/** The verdicts every verifier gives the same way. */
final class Replies {
    private Replies() {
    }

    /** No HTTP answer from a host that does not depend on the user's input. */
    static Unreachable noAnswer(String service, NoAnswer none) {
        return new Unreachable(service + " could not be reached: " + none.problem() + ". Try again later.");
    }

    /**
     * An answer the verifier has no specific reading for: 408, 429 and 5xx mean "ask again later",
     * a redirect means the input pointed at something that is not the API, anything else is a
     * refusal quoting the provider.
     */
    static Verification otherStatus(String service, Answer answer, String check, String... secrets) {
        String detail = ErrorText.of(answer.body(), secrets);
        String status = "HTTP " + answer.status() + (detail.isEmpty() ? "" : ": " + detail);
        if (answer.transientFailure()) {
            String retryAfter = answer.header("retry-after").isBlank() ? ""
                    : ", retry after " + Redact.scrub(answer.header("retry-after")) + " s";
            return new Unreachable(service + " could not answer right now (" + status + retryAfter + "). Try again later.");
        }
        if (answer.redirect()) {
            return new Refused(service + " answered with a redirect instead of its API (" + status + "); check the "
                    + check + ".");
        }
        return new Refused(service + " refused the request (" + status + "); check the " + check + ".");
    }

    /** A 2xx answer whose body is not what the API returns. */
    static Unreachable unreadable(String service) {
        return new Unreachable(service + " answered with something that is not its API's answer. Try again later.");
    }
}
