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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Document360: {@code GET https://apihub.document360.io/v2/ProjectVersions} with the
 * {@code api_token} header. Document360 wraps every answer as
 * {@code {data, success, errors[], ...}}. A project's token only works in its own data center, so
 * the hubs are tried in order (EU, then US) until one accepts the token. The account e-mail is
 * what Carbon identifies the data source by; the API has no call that confirms it belongs to the
 * token, so it is checked for shape only.
 */
final class Document360Verifier implements CredentialVerifier {
    private static final String SERVICE = "Document360";

    private final ProviderHttp http;
    private final List<URI> hubs;

    Document360Verifier(ProviderHttp http, List<URI> hubs) {
        this.http = http;
        this.hubs = List.copyOf(hubs);
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.DOCUMENT360;
    }

    Verification verify(String accountEmail, String accessToken) {
        String email;
        String token;
        try {
            email = Inputs.email("account_email", accountEmail);
            token = Inputs.secret("access_token", accessToken);
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        Map<String, String> headers = Map.of("api_token", token, "Accept", "application/json");
        Optional<Verification> unreachable = Optional.empty();
        Optional<String> refusal = Optional.empty();
        for (URI hub : hubs) {
            switch (http.get(URI.create(hub + "/ProjectVersions"), headers)) {
                case NoAnswer none -> unreachable = Optional.of(Replies.noAnswer(SERVICE + " (" + hub.getHost() + ")", none));
                case Answer answer when answer.status() == 401 || answer.status() == 403 ->
                        refusal = Optional.of(ErrorText.of(answer.body(), token));
                case Answer answer when !answer.ok() -> {
                    Verification other = Replies.otherStatus(SERVICE, answer, "access token", token);
                    if (other instanceof Refused) {
                        return other;
                    }
                    unreachable = Optional.of(other);
                }
                case Answer answer -> {
                    return read(answer, email, hub, token);
                }
            }
        }
        if (unreachable.isPresent()) {
            return unreachable.get();
        }
        String detail = refusal.filter(d -> !d.isEmpty()).map(d -> " (" + d + ")").orElse("");
        return new Refused("Document360 did not accept the access token" + detail + ".");
    }

    private static Verification read(Answer answer, String email, URI hub, String token) {
        JsonNode envelope;
        try {
            envelope = Json.mapper().readTree(answer.body());
        } catch (JsonProcessingException e) {
            return Replies.unreadable(SERVICE);
        }
        if (envelope == null || !envelope.isObject()) {
            return Replies.unreadable(SERVICE);
        }
        if (!envelope.path("success").asBoolean(false)) {
            String detail = ErrorText.of(answer.body(), token);
            return new Refused("Document360 refused the request" + (detail.isEmpty() ? "" : " (" + detail + ")") + ".");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("account_email", email);
        metadata.put("api_hub", hub.getHost());
        List<String> versions = new ArrayList<>();
        for (JsonNode version : envelope.path("data")) {
            String name = version.path("name").asText(version.path("version_code_name")
                    .asText(version.path("id").asText("")));
            if (!name.isBlank()) {
                versions.add(name);
            }
        }
        metadata.put("project_versions", versions);
        return new Verified(email, metadata);
    }
}
