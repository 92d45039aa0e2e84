package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GitHub's REST API for one personal access token: {@code GET /user} answers the token's user.
 * As GitHub does: a request without {@code User-Agent} is refused with 403 before anything else;
 * the token is accepted as {@code Authorization: Bearer <token>} or {@code token <token>}; a bad
 * or missing token gets 401 {@code {"message":"Bad credentials","documentation_url":...,
 * "status":"401"}}; classic tokens' scopes come back in {@code X-OAuth-Scopes}, and every answer
 * carries the {@code X-RateLimit-*} headers.
 */
public final class FakeGithub extends FakeHttpApi {
    private final String token;
    private final String login;
    private final long id;
    private final String name;
    private final Optional<List<String>> scopes;

    /** A classic token of {@code login} with the {@code repo} and {@code read:org} scopes. */
    public FakeGithub(String token, String login) {
        this(token, login, 583231L, "The Octocat", Optional.of(List.of("repo", "read:org")));
    }

    /** @param scopes the classic token's scopes; empty for a fine-grained token (no header) */
    public FakeGithub(String token, String login, long id, String name, Optional<List<String>> scopes) {
        this.token = token;
        this.login = login;
        this.id = id;
        this.name = name;
        this.scopes = scopes;
        get("/user", this::user);
    }

    private Reply user(RecordedRequest request) {
        if (request.header("user-agent").map(String::isBlank).orElse(true)) {
            return new Reply(403, Map.of("Content-Type", "text/html"), "Request forbidden by administrative rules. Please"
                    + " make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/"
                    + "resources-in-the-rest-api#user-agent-required). Check https://developer.github.com for other"
                    + " possible causes.\n");
        }
        Optional<String> auth = request.header("authorization");
        boolean ok = auth.map(h -> h.equals("Bearer " + token) || h.equals("token " + token)).orElse(false);
        if (!ok) {
            return rateLimited(Reply.json(401, Map.of("message", "Bad credentials",
                    "documentation_url", "https://docs.github.com/rest", "status", "401")));
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("login", login);
        user.put("id", id);
        user.put("node_id", "MDQ6VXNlcjU4MzIzMQ==");
        user.put("avatar_url", "https://avatars.githubusercontent.com/u/" + id + "?v=4");
        user.put("url", "https://api.github.com/users/" + login);
        user.put("html_url", "https://github.com/" + login);
        user.put("type", "User");
        user.put("site_admin", false);
        user.put("name", name);
        user.put("company", null);
        user.put("public_repos", 8);
        user.put("created_at", "2011-01-25T18:44:36Z");
        user.put("updated_at", "2026-01-22T14:25:21Z");
        Reply reply = rateLimited(Reply.json(200, user)).withHeader("X-GitHub-Media-Type", "github.v3; format=json");
        return scopes.map(s -> reply.withHeader("X-OAuth-Scopes", String.join(", ", s))).orElse(reply);
    }

    private static Reply rateLimited(Reply reply) {
        return reply.withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "4999")
                .withHeader("X-RateLimit-Reset", "1772450000").withHeader("X-RateLimit-Used", "1")
                .withHeader("X-RateLimit-Resource", "core");
    }

    /** GitHub's answer once the token's hourly limit is used up. */
    public static Reply rateLimitExceeded() {
        return Reply.json(403, Map.of("message", "API rate limit exceeded for user ID 583231.",
                        "documentation_url", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"))
                .withHeader("X-RateLimit-Limit", "5000").withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset", "1772450000").withHeader("X-RateLimit-Resource", "core");
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return true; // GitHub checks the User-Agent before the token; the route does both
    }

    @Override
    protected Reply unauthorized() {
        throw new IllegalStateException("not used");
    }
}
