package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One Freshdesk helpdesk's API v2: {@code GET /api/v2/agents/me} answers the agent who owns the
 * API key. Authentication is HTTP Basic with the API key as the user name and any password
 * (Freshdesk's documented convention is {@code X}); anything else gets Freshdesk's 401
 * {@code {"code":"invalid_credentials","message":"You have to be logged in to perform this action."}}.
 */
public final class FakeFreshdesk extends FakeHttpApi {
    private final String apiKey;
    private final long agentId;
    private final String email;
    private final String name;

    public FakeFreshdesk(String apiKey) {
        this(apiKey, 47000123456L, "ada@acme.example", "Ada Agent");
    }

    public FakeFreshdesk(String apiKey, long agentId, String email, String name) {
        this.apiKey = apiKey;
        this.agentId = agentId;
        this.email = email;
        this.name = name;
        get("/api/v2/agents/me", request -> Reply.json(200, agent()));
    }

    private Map<String, Object> agent() {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("active", true);
        contact.put("email", email);
        contact.put("job_title", null);
        contact.put("language", "en");
        contact.put("last_login_at", "2026-02-27T09:12:44Z");
        contact.put("mobile", null);
        contact.put("name", name);
        contact.put("phone", null);
        contact.put("time_zone", "Eastern Time (US & Canada)");
        contact.put("created_at", "2024-05-02T11:20:01Z");
        contact.put("updated_at", "2026-02-27T09:12:44Z");
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put("available", false);
        agent.put("occasional", false);
        agent.put("id", agentId);
        agent.put("ticket_scope", 1);
        agent.put("signature", null);
        agent.put("group_ids", java.util.List.of());
        agent.put("role_ids", java.util.List.of(47000012345L));
        agent.put("skill_ids", java.util.List.of());
        agent.put("available_since", null);
        agent.put("contact", contact);
        agent.put("created_at", "2024-05-02T11:20:01Z");
        agent.put("updated_at", "2026-02-27T09:12:44Z");
        agent.put("type", "support_agent");
        return agent;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return basicUser(request).map(apiKey::equals).orElse(false);
    }

    /** The user name of an HTTP Basic header. */
    static Optional<String> basicUser(RecordedRequest request) {
        return basic(request).map(pair -> pair[0]);
    }

    /** User name and password of an HTTP Basic header. */
    static Optional<String[]> basic(RecordedRequest request) {
        Optional<String> header = request.header("authorization");
        if (header.isEmpty() || !header.get().regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(header.get().substring(6).strip()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("code", "invalid_credentials",
                "message", "You have to be logged in to perform this action."));
    }
}
