package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitBook's API v1 for one user: {@code GET /v1/orgs} lists the organizations the token's user
 * belongs to, {@code pageSize} at a time, in GitBook's pagination format
 * ({@code {"items": [...], "next": {"page": "..."}}}, {@code next} omitted on the last page; the
 * next page is asked for with {@code ?page=}). Authentication is
 * {@code Authorization: Bearer <token>}; errors are {@code {"error": {"code", "message"}}}.
 */
public final class FakeGitbook extends FakeHttpApi {
    /** An organization as GitBook lists it. */
    public record Organization(String id, String title) {
    }

    private final String token;
    private final List<Organization> organizations;
    private final int pageSize;

    public FakeGitbook(String token, List<Organization> organizations) {
        this(token, organizations, 20);
    }

    public FakeGitbook(String token, List<Organization> organizations, int pageSize) {
        this.token = token;
        this.organizations = List.copyOf(organizations);
        this.pageSize = pageSize;
        get("/v1/orgs", this::orgs);
    }

    /** The API base to configure clients with: {@code http://127.0.0.1:port/v1}. */
    public URI apiBase() {
        return URI.create(baseUrl() + "/v1");
    }

    private Reply orgs(RecordedRequest request) {
        int from = 0;
        String page = query(request, "page");
        if (page != null) {
            try {
                from = Integer.parseInt(page.substring("p".length()));
            } catch (RuntimeException e) {
                return Reply.json(400, Map.of("error", Map.of("code", 400, "message", "Invalid page cursor")));
            }
        }
        List<Map<String, Object>> items = new ArrayList<>();
        int to = Math.min(organizations.size(), from + pageSize);
        for (Organization org : organizations.subList(Math.min(from, to), to)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "organization");
            item.put("id", org.id());
            item.put("title", org.title());
            item.put("createdAt", "2025-01-14T10:00:00.000Z");
            item.put("urls", Map.of("location", "https://api.gitbook.com/v1/orgs/" + org.id(),
                    "app", "https://app.gitbook.com/o/" + org.id() + "/"));
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        if (to < organizations.size()) {
            body.put("next", Map.of("page", "p" + to));
        }
        return Reply.json(200, body);
    }

    static String query(RecordedRequest request, String name) {
        if (request.query().isEmpty()) {
            return null;
        }
        for (String pair : request.query().get().split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("authorization").map(h -> h.equals("Bearer " + token)).orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        return Reply.json(401, Map.of("error", Map.of("code", 401, "message", "Invalid authentication token")));
    }
}
