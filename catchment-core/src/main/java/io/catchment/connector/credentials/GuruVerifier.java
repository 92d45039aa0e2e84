package io.catchment.connector.credentials;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.ProviderHttp.Answer;
import io.catchment.connector.credentials.ProviderHttp.NoAnswer;
import io.catchment.connector.credentials.Verification.Refused;
import io.catchment.connector.credentials.Verification.Verified;
import io.catchment.json.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Guru: {@code GET https://api.getguru.com/api/v1/whoami} with HTTP Basic
 * {@code <username>:<user token>} (Guru's REST API authenticates with Basic; the user name is the
 * sign-in e-mail). The answer names the user's team ({@code team.id}, {@code team.name}).
 */
final class GuruVerifier implements CredentialVerifier {
    private static final String SERVICE = "Guru";

    private final ProviderHttp http;
    private final URI base;

    GuruVerifier(ProviderHttp http, URI base) {
        this.http = http;
        this.base = base;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.GURU;
    }

    Verification verify(String username, String accessToken) {
        String user;
        String token;
        try {
            user = Inputs.basicUser("username", username);
            token = Inputs.secret("access_token", accessToken);
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        String basic = Base64.getEncoder().encodeToString((user + ":" + token).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = Map.of("Authorization", "Basic " + basic, "Accept", "application/json");
        return switch (http.get(URI.create(base + "/whoami"), headers)) {
            case NoAnswer none -> Replies.noAnswer(SERVICE, none);
            case Answer answer -> read(answer, user, token);
        };
    }

    private static Verification read(Answer answer, String user, String token) {
        if (answer.status() == 401 || answer.status() == 403) {
            String detail = ErrorText.of(answer.body(), token);
            return new Refused("Guru did not accept the user name and token" + (detail.isEmpty() ? "" : " (" + detail + ")")
                    + ".");
        }
        if (!answer.ok()) {
            return Replies.otherStatus(SERVICE, answer, "user name and token", token);
        }
        JsonNode whoami;
        try {
            whoami = Json.mapper().readTree(answer.body());
        } catch (JsonProcessingException e) {
            return Replies.unreadable(SERVICE);
        }
        if (whoami == null || !whoami.isObject()) {
            return Replies.unreadable(SERVICE);
        }
        String username = user.toLowerCase(Locale.ROOT);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("username", username);
        JsonNode team = whoami.path("team");
        if (team.path("id").isTextual()) {
            metadata.put("team_id", team.path("id").asText());
        }
        if (team.path("name").isTextual()) {
            metadata.put("team_name", team.path("name").asText());
        }
        return new Verified(username, metadata);
    }
}
