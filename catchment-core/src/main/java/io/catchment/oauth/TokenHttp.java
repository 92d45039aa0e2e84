package io.catchment.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side shared by the OAuth clients: one request with a timeout, retried after connection
 * failures, timeouts and 5xx (a provider's bad minute should not cost the user their connection),
 * never after 429 (the caller decides when to come back); and provider error bodies turned into an
 * {@link OAuthException} whose message holds no secret.
 */
final class TokenHttp {
    private static final Logger log = LoggerFactory.getLogger(TokenHttp.class);
    private static final int MAX_DESCRIPTION = 300;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
    static final List<Duration> DEFAULT_BACKOFF = List.of(Duration.ofMillis(250), Duration.ofMillis(1000));

    private static final Set<String> INVALID_GRANT = Set.of("invalid_grant", "invalid_code", "code_already_used",
            "invalid_refresh_token", "token_revoked", "token_expired", "expired_token", "bad_verification_code",
            "invalid_token");
    private static final Set<String> INVALID_CLIENT = Set.of("invalid_client", "unauthorized_client",
            "invalid_client_id", "bad_client_secret", "invalid_client_secret", "invalid_team_for_non_distributed_app");
    private static final Set<String> RATE_LIMITED = Set.of("ratelimited", "rate_limited", "too_many_requests",
            "rate_limit_exceeded", "slow_down");

    private final HttpClient http;
    private final Duration timeout;
    private final List<Duration> backoff;

    TokenHttp(HttpClient http, Duration timeout, List<Duration> backoff) {
        this.http = http;
        this.timeout = timeout;
        this.backoff = List.copyOf(backoff);
    }

    /** An answer with a status below 500 (429 included). */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        Optional<String> header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
        }

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends {@code request}, retrying transient failures.
     *
     * @param what for messages: "Google token endpoint", "Dropbox identity endpoint", ...
     * @param secrets strings that must not appear in an error message
     * @throws OAuthException UNREACHABLE when every attempt failed
     */
    Answer send(HttpRequest.Builder request, String what, List<String> secrets) throws OAuthException {
        HttpRequest built = request.timeout(timeout).build();
        String problem = "no attempt made";
        for (int attempt = 0; attempt <= backoff.size(); attempt++) {
            if (attempt > 0) {
                log.atInfo().addKeyValue("endpoint", what).addKeyValue("attempt", attempt)
                        .addKeyValue("problem", problem).log("OAuth request retried");
                pause(backoff.get(attempt - 1));
            }
            HttpResponse<String> response;
            try {
                response = http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (HttpTimeoutException e) {
                problem = "no answer within " + timeout.toSeconds() + " s";
                continue;
            } catch (IOException e) {
                problem = "could not reach it (" + e.getClass().getSimpleName() + ")";
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OAuthException(OAuthException.Kind.UNREACHABLE, what + ": interrupted");
            }
            if (response.statusCode() >= 500) {
                problem = "HTTP " + response.statusCode() + describe(response.body(), secrets);
                continue;
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new Answer(response.statusCode(), headers, response.body() == null ? "" : response.body());
        }
        throw new OAuthException(OAuthException.Kind.UNREACHABLE, what + " failed " + (backoff.size() + 1)
                + " times; last: " + problem);
    }

    private static void pause(Duration wait) throws OAuthException {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException(OAuthException.Kind.UNREACHABLE, "interrupted while waiting to retry");
        }
    }

    /**
     * The exception for a refusal: the provider's error code from the usual places (OAuth's
     * {@code error}/{@code error_description}, Slack's {@code {ok:false,error}}, Salesforce's
     * {@code [{errorCode,message}]}, Notion's {@code {code,message}}, Google's
     * {@code {error:{status,message}}}, Graph's {@code {error:{code,message}}}, Dropbox's
     * {@code {error_summary,error:{.tag}}}), its kind from that code, else from the status.
     */
    static OAuthException refusal(String what, Answer answer, List<String> secrets) {
        ProviderError error = ProviderError.parse(answer.body());
        OAuthException.Kind kind = kindOf(error.code(), answer.status());
        Optional<Duration> retryAfter = kind == OAuthException.Kind.RATE_LIMITED ? retryAfter(answer) : Optional.empty();
        String detail = error.code().map(c -> c + error.description().map(d -> ": " + d).orElse(""))
                .or(error::description)
                .orElseGet(() -> answer.body().isBlank() ? "no details" : answer.body().strip());
        String message = what + " refused the request (HTTP " + answer.status() + ", " + clean(detail, secrets) + ")";
        return new OAuthException(kind, message, error.code(), OptionalInt.of(answer.status()), retryAfter);
    }

    static OAuthException.Kind kindOf(Optional<String> code, int status) {
        if (code.isPresent()) {
            String c = code.get().toLowerCase(Locale.ROOT);
            if (INVALID_GRANT.contains(c)) return OAuthException.Kind.INVALID_GRANT;
            if (INVALID_CLIENT.contains(c)) return OAuthException.Kind.INVALID_CLIENT;
            if (RATE_LIMITED.contains(c)) return OAuthException.Kind.RATE_LIMITED;
            if (c.equals("access_denied")) return OAuthException.Kind.ACCESS_DENIED;
        }
        if (status == 429) return OAuthException.Kind.RATE_LIMITED;
        if (status >= 500) return OAuthException.Kind.UNREACHABLE;
        return OAuthException.Kind.PROVIDER_ERROR;
    }

    /** A provider's error code and description, wherever its body keeps them. */
    record ProviderError(Optional<String> code, Optional<String> description) {
        static ProviderError parse(String body) {
            JsonNode parsed;
            try {
                parsed = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
            } catch (IOException notJson) {
                parsed = null;
            }
            JsonNode node = parsed;
            if (node == null) return new ProviderError(Optional.empty(), Optional.empty());
            if (node.isArray() && !node.isEmpty()) {
                // Salesforce: [{"message": ..., "errorCode": ...}]
                return new ProviderError(text(node.get(0), "errorCode"), text(node.get(0), "message"));
            }
            Optional<String> code = text(node, "error").or(() -> text(node, "code"))
                    .or(() -> text(node.path("error"), "status"))
                    .or(() -> text(node.path("error"), "code"))
                    .or(() -> text(node.path("error"), ".tag"))
                    .or(() -> text(node.path("errors").path(0), "code"));
            Optional<String> description = text(node, "error_description").or(() -> text(node, "message"))
                    .or(() -> text(node.path("error"), "message")).or(() -> text(node, "error_summary"))
                    .or(() -> text(node.path("errors").path(0), "message"));
            return new ProviderError(code, description);
        }

        private static Optional<String> text(JsonNode node, String field) {
            JsonNode value = node == null ? null : node.get(field);
            return value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank()
                    ? Optional.of(value.asText()) : Optional.empty();
        }
    }

    static Optional<Duration> retryAfter(Answer answer) {
        return answer.header("retry-after").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.strip()))));
            } catch (NumberFormatException notSeconds) {
                return Optional.empty();
            }
        });
    }

    /** One line, secrets blanked, at most 300 characters. */
    static String clean(String text, List<String> secrets) {
        String out = text.replaceAll("\\s+", " ").strip();
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, "[redacted]")
                        .replace(URLEncoder.encode(secret, StandardCharsets.UTF_8), "[redacted]");
            }
        }
        return out.length() <= MAX_DESCRIPTION ? out : out.substring(0, MAX_DESCRIPTION) + "...";
    }

    private static String describe(String body, List<String> secrets) {
        ProviderError error = ProviderError.parse(body);
        return error.code().or(error::description).map(d -> " (" + clean(d, secrets) + ")").orElse("");
    }

    /** {@code application/x-www-form-urlencoded}, fields in order. */
    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /**
     * HTTP Basic with the client id and secret as they are. RFC 6749 §2.3.1 asks for each to be
     * form-encoded first, but the providers here compare the raw values (their ids and secrets
     * are plain ASCII, where both readings agree).
     */
    static String basic(ClientApp app) {
        String pair = app.clientId() + ":" + app.clientSecret();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    static URI uri(String url, String what) throws OAuthException {
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException("not absolute");
            return uri;
        } catch (IllegalArgumentException e) {
            throw new OAuthException(OAuthException.Kind.PROVIDER_ERROR, what + " has no usable URL: " + e.getMessage());
        }
    }

    /** A provider's display name for messages ("Google Drive", "Zendesk", ...). */
    static String display(OAuthService service) {
        return switch (service) {
            case GOOGLE_DRIVE -> "Google Drive";
            case GOOGLE_CLOUD_STORAGE -> "Google Cloud Storage";
            case GMAIL -> "Gmail";
            case ONEDRIVE -> "OneDrive";
            case SHAREPOINT -> "SharePoint";
            case SERVICENOW -> "ServiceNow";
            default -> service.name().charAt(0) + service.name().substring(1).toLowerCase(Locale.ROOT);
        };
    }
}
