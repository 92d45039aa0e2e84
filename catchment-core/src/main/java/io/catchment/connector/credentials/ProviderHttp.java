package io.catchment.connector.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One GET to a provider, with a deadline and a cap on the answer's size, reporting either the
 * answer or why there was none. Verifiers decide what a status means; this class only knows the
 * transport. The {@link HttpClient} is shared and should not follow redirects (a redirect must
 * never carry credentials to another host; verifiers treat 3xx as a refusal).
 */
final class ProviderHttp {
    /** Far more than any identity or listing answer; a bigger one is not the API we asked. */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final HttpClient http;
    private final Duration timeout;

    ProviderHttp(HttpClient http, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** What came back. */
    sealed interface Outcome permits Answer, NoAnswer {
    }

    /** An HTTP answer, whatever its status. */
    record Answer(int status, HttpHeaders headers, String body) implements Outcome {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** 408, 429 and 5xx: the provider could not answer the question now. */
        boolean transientFailure() {
            return status == 408 || status == 429 || status >= 500;
        }

        boolean redirect() {
            return status >= 300 && status < 400;
        }

        String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    /**
     * No HTTP answer.
     *
     * @param unknownHost the host name does not resolve: for hosts built from the user's input
     *                    (Freshdesk domain, storage account) that means the account does not exist
     */
    record NoAnswer(String problem, boolean unknownHost) implements Outcome {
    }

    Outcome get(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
                if (bytes.length > MAX_ANSWER_BYTES) {
                    return new NoAnswer("the answer was larger than " + MAX_ANSWER_BYTES / (1024 * 1024) + " MiB", false);
                }
                return new Answer(response.statusCode(), response.headers(), new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (HttpConnectTimeoutException e) {
            return new NoAnswer("could not connect within " + seconds(timeout), false);
        } catch (HttpTimeoutException e) {
            return new NoAnswer("no answer within " + seconds(timeout), false);
        } catch (IOException e) {
            if (unresolved(e)) {
                return new NoAnswer("the host " + uri.getHost() + " does not resolve", true);
            }
            return new NoAnswer("could not connect (" + e.getClass().getSimpleName() + ")", false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NoAnswer("interrupted", false);
        }
    }

    /** The JDK client reports an unknown host as a ConnectException caused by UnresolvedAddressException. */
    private static boolean unresolved(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return true;
            }
        }
        return false;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
