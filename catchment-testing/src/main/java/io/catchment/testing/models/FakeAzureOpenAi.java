package io.catchment.testing.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Azure OpenAI's {@code POST /openai/deployments/{deployment}/embeddings?api-version=...}: the
 * {@code api-key} header, one route per deployment (the deployment, not the body, names the
 * model), and otherwise {@link FakeOpenAi}'s validation and answers.
 *
 * <p>As the real service does: a missing {@code api-version} is 404 "Resource not found"; one
 * that is not a dated version is 400; before 2024-02-01 at most 16 inputs are taken, from then on
 * 2048. A deployment named after one of the three models but not configured answers 404
 * {@code DeploymentNotFound} (the usual mistake: relying on default deployment names); any other
 * unknown path gets {@link FakeHttpApi}'s plain 404.
 */
public final class FakeAzureOpenAi extends FakeHttpApi {
    private static final Pattern DATED_VERSION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");

    private final String apiKey;

    /** {@code deployments}: deployment name → model id (text-embedding-3-small, ...). */
    public FakeAzureOpenAi(String apiKey, Map<String, String> deployments) {
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        Map<String, String> copy = new LinkedHashMap<>(deployments);
        copy.forEach((deployment, model) -> {
            if (!FakeOpenAi.models().containsKey(model)) throw new IllegalArgumentException("unknown model " + model);
            post(path(deployment), request -> embeddings(request, model));
        });
        for (String model : FakeOpenAi.models().keySet()) {
            if (!copy.containsKey(model)) post(path(model), request -> deploymentNotFound());
        }
    }

    /** What goes in the credentials' endpoint (the resource's {@code https://NAME.openai.azure.com}). */
    public URI endpoint() {
        return baseUrl();
    }

    @Override
    protected boolean authorized(RecordedRequest request) {
        return request.header("api-key").filter(apiKey::equals).isPresent();
    }

    @Override
    protected Reply unauthorized() {
        return error(401, "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to "
                + "provide a valid key for an active subscription and use a correct regional API endpoint for your "
                + "resource.");
    }

    /** Azure's own error body: {@code {"error": {"code", "message"}}}. */
    private static Reply error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return Reply.json(status, body);
    }

    private static Reply deploymentNotFound() {
        return error(404, "DeploymentNotFound", "The API deployment for this resource does not exist. If you created "
                + "the deployment within the last 5 minutes, please wait a moment and try again.");
    }

    private static Reply embeddings(RecordedRequest request, String model) {
        Optional<String> version = query(request, "api-version");
        if (version.isEmpty()) return error(404, "404", "Resource not found");
        if (!DATED_VERSION.matcher(version.get()).matches()) {
            return error(400, "BadRequest", "API version not supported");
        }
        int maxInputs = version.get().compareTo("2024-02-01") < 0 ? 16 : FakeOpenAi.MAX_INPUTS;
        return FakeOpenAi.embeddings(request, Optional.of(model), maxInputs, "Too many inputs. The max number of "
                + "inputs is " + maxInputs + ". We hope to increase the number of inputs per request soon. Please "
                + "contact us through an Azure support request for further questions.");
    }

    private static Optional<String> query(RecordedRequest request, String name) {
        if (request.query().isEmpty()) return Optional.empty();
        for (String pair : request.query().get().split("&")) {
            String[] kv = pair.split("=", 2);
            if (URLDecoder.decode(kv[0], StandardCharsets.UTF_8).equals(name) && kv.length == 2 && !kv[1].isEmpty()) {
                return Optional.of(URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    private static String path(String deployment) {
        return "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20")
                + "/embeddings";
    }
}
