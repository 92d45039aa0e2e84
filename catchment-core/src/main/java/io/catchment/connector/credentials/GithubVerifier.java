package io.catchment.connector.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.ProviderHttp.Answer;
import io.catchment.connector.credentials.ProviderHttp.NoAnswer;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Unreachable;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.json.Json;
import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * GitHub: {@code GET https://api.github.com/user} with {@code Authorization: Bearer <token>},
 * {@code Accept: application/vnd.github+json}, {@code X-GitHub-Api-Version: 2022-11-28} and a
 * {@code User-Agent} (GitHub rejects requests without one). The token must belong to the user
 * named in the request (logins compare case-insensitively, as GitHub's do); the classic token's
 * scopes ({@code X-OAuth-Scopes}) go into the metadata.
 */
final class GithubVerifier implements CredentialVerifier {
    private static final String SERVICE = "GitHub";
    static final String USER_AGENT = "Catchment";

    private final ProviderHttp http;
    private final URI base;

    GithubVerifier(ProviderHttp http, URI base) {
        this.http = http;
        this.base = base;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.GITHUB;
    }

    Verification verify(String username, String accessToken) {
        String login;
        String token;
        try {
            login = Inputs.required("username", username);
            token = Inputs.secret("access_token", accessToken);
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token,
                "Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28", "User-Agent", USER_AGENT);
        return switch (http.get(URI.create(base + "/user"), headers)) {
            case NoAnswer none -> Replies.noAnswer(SERVICE, none);
            case Answer answer -> read(answer, login, token);
        };
    }

    private static Verification read(Answer answer, String login, String token) {
        if (answer.status() == 403 && answer.header("x-ratelimit-remaining").equals("0")) {
            return new Unreachable("GitHub's rate limit for this token is used up; try again after "
                    + Redact.scrub(answer.header("x-ratelimit-reset")) + " (epoch seconds).");
        }
        if (answer.status() == 401) {
            String detail = ErrorText.of(answer.body(), token);
            return new Refused("GitHub did not accept the access token" + (detail.isEmpty() ? "" : " (" + detail + ")")
                    + "; it may be wrong, expired or revoked.");
        }
        if (!answer.ok()) {
            return Replies.otherStatus(SERVICE, answer, "access token", token);
        }
        JsonNode user;
        try {
            user = Json.mapper().readTree(answer.body());
        } catch (JsonProcessingException e) {
            return Replies.unreadable(SERVICE);
        }
        if (user == null || !user.path("login").isTextual() || user.path("login").asText().isBlank()) {
            return Replies.unreadable(SERVICE);
        }
        String actual = user.path("login").asText();
        if (!actual.toLowerCase(Locale.ROOT).equals(login.toLowerCase(Locale.ROOT))) {
            return new Refused("The GitHub access token belongs to '" + Redact.scrub(actual) + "', not to '"
                    + Redact.scrub(login) + "'.");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("login", actual);
        if (user.path("id").canConvertToLong()) {
            metadata.put("user_id", user.path("id").asLong());
        }
        if (user.path("name").isTextual()) {
            metadata.put("name", user.path("name").asText());
        }
        // Only classic tokens have scopes; fine-grained tokens answer without the header.
        answer.headers().firstValue("x-oauth-scopes").ifPresent(header -> metadata.put("scopes",
                Arrays.stream(header.split(",")).map(String::strip).filter(scope -> !scope.isEmpty()).toList()));
        return new Verified(actual, metadata);
    }
}
