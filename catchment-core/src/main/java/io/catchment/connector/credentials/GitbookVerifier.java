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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GitBook: {@code GET https://api.gitbook.com/v1/orgs} with {@code Authorization: Bearer <token>},
 * following {@code next.page} (GitBook's pagination: {@code {items, next: {page}}}), and looking
 * for the organization the user named, by id or by title (case-insensitive). A token that works
 * but cannot see that organization is refused, naming the ones it can see.
 */
final class GitbookVerifier implements CredentialVerifier {
    private static final String SERVICE = "GitBook";
    /** GitBook users belong to a handful of organizations; this bounds a misbehaving pager. */
    private static final int MAX_PAGES = 20;

    private final ProviderHttp http;
    private final URI base;

    GitbookVerifier(ProviderHttp http, URI base) {
        this.http = http;
        this.base = base;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.GITBOOK;
    }

    Verification verify(String organization, String accessToken) {
        String wanted;
        String token;
        try {
            wanted = Inputs.required("organization", organization);
            token = Inputs.secret("access_token", accessToken);
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        Map<String, String> headers = Map.of("Authorization", "Bearer " + token, "Accept", "application/json");
        List<String> seen = new ArrayList<>();
        Optional<String> page = Optional.empty();
        for (int i = 0; i < MAX_PAGES; i++) {
            URI uri = URI.create(base + "/orgs"
                    + page.map(p -> "?page=" + URLEncoder.encode(p, StandardCharsets.UTF_8)).orElse(""));
            Answer answer;
            switch (http.get(uri, headers)) {
                case NoAnswer none -> {
                    return Replies.noAnswer(SERVICE, none);
                }
                case Answer a -> answer = a;
            }
            if (answer.status() == 401 || answer.status() == 403) {
                String detail = ErrorText.of(answer.body(), token);
                return new Refused("GitBook did not accept the access token" + (detail.isEmpty() ? "" : " (" + detail + ")")
                        + ".");
            }
            if (!answer.ok()) {
                return Replies.otherStatus(SERVICE, answer, "access token", token);
            }
            JsonNode listing;
            try {
                listing = Json.mapper().readTree(answer.body());
            } catch (JsonProcessingException e) {
                return Replies.unreadable(SERVICE);
            }
            if (listing == null || !listing.path("items").isArray()) {
                return Replies.unreadable(SERVICE);
            }
            for (JsonNode org : listing.path("items")) {
                String id = org.path("id").asText("");
                String title = org.path("title").asText("");
                if (id.isBlank()) {
                    continue; // not an organization GitBook could sync
                }
                if (id.equals(wanted) || (!title.isEmpty() && title.strip().toLowerCase(Locale.ROOT)
                        .equals(wanted.toLowerCase(Locale.ROOT)))) {
                    return verified(org);
                }
                seen.add(title.isEmpty() ? id : title);
            }
            JsonNode next = listing.path("next").path("page");
            if (!next.isTextual() && !next.isNumber()) {
                break;
            }
            page = Optional.of(next.asText());
        }
        String visible = seen.isEmpty() ? "it cannot see any organization"
                : "it can see " + String.join(", ", seen.stream().map(s -> "'" + Redact.scrub(s) + "'").toList());
        return new Refused("The GitBook access token works, but has no organization named '" + Redact.scrub(wanted)
                + "' (" + visible + ").");
    }

    private static Verification verified(JsonNode org) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        String id = org.path("id").asText();
        metadata.put("organization_id", id);
        if (org.path("title").isTextual()) {
            metadata.put("organization_title", org.path("title").asText());
        }
        if (org.path("urls").path("app").isTextual()) {
            metadata.put("organization_url", org.path("urls").path("app").asText());
        }
        return new Verified(id, metadata);
    }
}
