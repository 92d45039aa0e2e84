package io.catchment.testing.sources;

import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Document360 API hub (a data center) knowing one project's API token:
 * {@code GET /v2/ProjectVersions} lists the project's versions. Authentication is the
 * {@code api_token} header. Every answer is Document360's envelope
 * {@code {data, extension_data, context, success, errors, warnings, information}}; a bad token
 * gets 401 with {@code success: false} and an error in {@code errors}.
 */
public final class FakeDocument360 extends FakeHttpApi {
    private final String token;
    private final List<String> versions;

    public FakeDocument360(String token) {
        this(token, List.of("v1", "v2"));
    }

    /** @param versions the project versions' code names; the first is the main version */
    public FakeDocument360(String token, List<String> versions) {
        this.token = token;
        this.versions = List.copyOf(versions);
        get("/v2/ProjectVersions", request -> Reply.json(200, envelope(data(), true, List.of())));
    }

    /** The API base to configure clients with: {@code http://127.0.0.1:port/v2}. */
    public URI apiBase() {
        return URI.create(baseUrl() + "/v2");
    }

    private List<Map<String, Object>> data() {
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < versions.size(); i++) {
            Map<String, Object> version = new LinkedHashMap<>();
            version.put("id", "5f1e2d3c-0000-4000-8000-00000000000" + i);
            version.put("version_number", i + 1.0);
            version.put("base_version_number", i == 0 ? 0.0 : 1.0);
            version.put("version_code_name", versions.get(i));
            version.put("is_main_version", i == 0);
            version.put("is_beta", false);
            version.put("is_public", true);
            version.put("is_deprecated", false);
            version.put("created_at", "2025-03-01T08:00:00Z");
            version.put("modified_at", "2026-01-10T08:00:00Z");
            version.put("slug", versions.get(i));
            version.put("order", i);
            data.add(version);
        }
        return data;
    }

    private static Map<String, Object> envelope(Object data, boolean success, List<Map<String, Object>> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("data", data);
        body.put("extension_data", null);
        body.put("context", null);
        body.put("success", success);
        body.put("errors", errors);
        body.put("warnings", List.of());
        body.put("information", List.of());
        return body;
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("api_token").map(token::equals).orElse(false);
    }

    @Override
    protected Reply unauthorized() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("description", "Invalid or expired API token");
        error.put("error_code", "Unauthorized");
        error.put("extension_data", null);
        return Reply.json(401, envelope(null, false, List.of(error)));
    }
}
