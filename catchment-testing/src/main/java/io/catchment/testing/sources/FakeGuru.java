package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guru's REST API for one user: {@code GET /api/v1/whoami} answers the user and their team.
 * Authentication is HTTP Basic with the user name (the sign-in e-mail, compared without regard to
 * case) and a user token as the password.
 */
public final class FakeGuru extends FakeHttpApi {
    private final String username;
    private final String token;
    private final String teamId;
    private final String teamName;

    public FakeGuru(String username, String token) {
        this(username, token, "a1b2c3d4-0000-4000-8000-00000000abcd", "Acme Support");
    }

    public FakeGuru(String username, String token, String teamId, String teamName) {
        this.username = username;
        this.token = token;
        this.teamId = teamId;
        this.teamName = teamName;
        get("/api/v1/whoami", request -> Reply.json(200, whoami()));
    }

    /** The API base to configure clients with: {@code http://127.0.0.1:port/api/v1}. */
    public URI apiBase() {
        return URI.create(baseUrl() + "/api/v1");
    }

    private Map<String, Object> whoami() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("email", username);
        user.put("firstName", "Ada");
        user.put("lastName", "Agent");
        Map<String, Object> team = new LinkedHashMap<>();
        team.put("id", teamId);
        team.put("name", teamName);
        team.put("status", "ACTIVE");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", user);
        body.put("team", team);
        return body;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return FakeFreshdesk.basic(request).map(pair -> pair[0].equalsIgnoreCase(username) && pair[1].equals(token))
                .orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("description", "Authentication failed"));
    }
}
