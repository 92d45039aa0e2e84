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
import java.util.Map;

/**
 * Freshdesk: {@code GET https://{domain}.freshdesk.com/api/v2/agents/me} with HTTP Basic
 * {@code <api key>:X} (Freshdesk ignores the password). The helpdesk is
 * {@code {domain}.freshdesk.com}; users may type {@code acme}, {@code acme.freshdesk.com} or the
 * helpdesk URL, and anything else that is not one DNS label is refused before a request goes out.
 */
final class FreshdeskVerifier implements CredentialVerifier {
    private static final String SERVICE = "Freshdesk";
    private static final String SUFFIX = ".freshdesk.com";

    private final ProviderHttp http;
    private final String baseTemplate;

    /** @param baseTemplate the helpdesk URL with {@code {domain}} where the subdomain goes */
    FreshdeskVerifier(ProviderHttp http, String baseTemplate) {
        this.http = http;
        this.baseTemplate = baseTemplate;
    }

    @Override
    public DataSourceType source() {
        return DataSourceType.FRESHDESK;
    }

    Verification verify(String domain, String apiKey) {
        String subdomain;
        String key;
        try {
            subdomain = subdomain(domain);
            key = Inputs.secret("api_key", apiKey);
        } catch (InvalidInput e) {
            return new Refused(e.getMessage());
        }
        String helpdesk = subdomain + SUFFIX;
        URI uri = URI.create(baseTemplate.replace("{domain}", subdomain) + "/api/v2/agents/me");
        String basic = Base64.getEncoder().encodeToString((key + ":X").getBytes(StandardCharsets.UTF_8));
        return switch (http.get(uri, Map.of("Authorization", "Basic " + basic, "Accept", "application/json"))) {
            case NoAnswer none when none.unknownHost() -> new Refused("There is no Freshdesk helpdesk at " + helpdesk
                    + " (the name does not resolve); check the domain.");
            case NoAnswer none -> Replies.noAnswer(SERVICE + " (" + helpdesk + ")", none);
            case Answer answer -> read(answer, helpdesk, key);
        };
    }

    private static Verification read(Answer answer, String helpdesk, String key) {
        String detail = ErrorText.of(answer.body(), key);
        String quoted = detail.isEmpty() ? "" : " (" + detail + ")";
        if (answer.status() == 401) {
            return new Refused("Freshdesk did not accept the API key for " + helpdesk + quoted + ".");
        }
        if (answer.status() == 403) {
            return new Refused("Freshdesk refused API access to " + helpdesk + " with this API key" + quoted + ".");
        }
        if (answer.status() == 404) {
            return new Refused("There is no Freshdesk helpdesk at " + helpdesk + quoted + "; check the domain.");
        }
        if (!answer.ok()) {
            return Replies.otherStatus(SERVICE + " (" + helpdesk + ")", answer, "domain and API key", key);
        }
        JsonNode agent;
        try {
            agent = Json.mapper().readTree(answer.body());
        } catch (JsonProcessingException e) {
            return Replies.unreadable(SERVICE);
        }
        if (agent == null || !agent.path("id").canConvertToLong()) {
            return Replies.unreadable(SERVICE);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("domain", helpdesk);
        metadata.put("agent_id", agent.path("id").asLong());
        JsonNode contact = agent.path("contact");
        if (contact.path("email").isTextual()) {
            metadata.put("agent_email", contact.path("email").asText());
        }
        if (contact.path("name").isTextual()) {
            metadata.put("agent_name", contact.path("name").asText());
        }
        return new Verified(helpdesk, metadata);
    }

    /** {@code acme} from {@code acme}, {@code acme.freshdesk.com} or {@code https://acme.freshdesk.com/}. */
    static String subdomain(String domain) {
        String host = Inputs.bareHost(Inputs.required("domain", domain));
        if (host.endsWith(SUFFIX)) {
            host = host.substring(0, host.length() - SUFFIX.length());
        }
        return Inputs.label("domain", host, "acme' or 'acme.freshdesk.com");
    }
}
