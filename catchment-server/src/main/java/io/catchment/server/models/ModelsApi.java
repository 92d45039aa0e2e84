package io.catchment.server.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.EmbeddingModel;
import io.catchment.embed.EmbeddingModels;
import io.catchment.embed.credentials.CredentialsJson;
import io.catchment.embed.credentials.InvalidCredentials;
import io.catchment.embed.credentials.ModelCredentialStore;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.providers.RemoteModels;
import io.catchment.rerank.RerankModel;
import io.catchment.server.api.Success;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code GET /embedding_models} and {@code /organization/model_credentials} (see package-info). */
public final class ModelsApi {
    private static final Logger log = LoggerFactory.getLogger(ModelsApi.class);
    private static final List<Provider> STORABLE = Arrays.stream(Provider.values()).filter(p -> p != Provider.LOCAL).toList();

    private final EmbeddingModels models;
    private final RemoteModels remote;
    private final ModelCredentialStore store;

    public ModelsApi(EmbeddingModels models, RemoteModels remote, ModelCredentialStore store) {
        this.models = models;
        this.remote = remote;
        this.store = store;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/embedding_models", Access.ORGANIZATION, RateTier.UNTIERED, this::list),
                ApiRoute.get("/organization/model_credentials", Access.ORGANIZATION, RateTier.UNTIERED, this::credentials),
                ApiRoute.post("/organization/model_credentials", Access.ORGANIZATION, RateTier.TIER_1, this::store),
                ApiRoute.delete("/organization/model_credentials/{provider}", Access.ORGANIZATION, RateTier.TIER_1,
                        this::remove));
    }

    record ModelInfo(String name, String provider, String upstreamModel, int dimensions, boolean multimodal,
                     boolean carbon, boolean available, String credentials) {}

    record RerankerInfo(String name, Optional<String> provider, String upstreamModel, boolean available) {}

    record ModelList(String defaultModel, List<ModelInfo> models, List<RerankerInfo> rerankers) {}

    record StoredCredentials(String provider, Map<String, Object> credentials, Instant createdAt, Instant updatedAt) {}

    record CredentialList(List<StoredCredentials> credentials, List<String> serverConfigured) {}

    private Object list(Call call) {
        long org = call.caller().organizationId();
        Map<Provider, ModelCredentialStore.Stored> own = store.list(org);
        List<ModelInfo> out = new ArrayList<>();
        for (EmbeddingGenerator g : EmbeddingGenerator.values()) {
            String source = !g.remote() ? "local" : own.containsKey(g.provider()) ? "organization"
                    : remote.configuredServerWide(g) ? "server" : "none";
            out.add(new ModelInfo(g.wireName(), g.provider().name(), g.upstreamModel(), g.dimensions(), g.multimodal(),
                    g.carbon(), models.find(org, g.wireName()).isPresent(), source));
        }
        List<RerankerInfo> rerankers = Arrays.stream(RerankModel.values()).map(m -> new RerankerInfo(m.name(),
                m.provider().map(Enum::name), m.upstreamModel(), remote.find(org, m).isPresent())).toList();
        return new ModelList(models.defaultModelName(), out, rerankers);
    }

    private Object credentials(Call call) {
        long org = call.caller().organizationId();
        List<StoredCredentials> list = store.list(org).values().stream().map(ModelsApi::view).toList();
        return new CredentialList(list, remote.serverProviders().stream().map(Enum::name).sorted().toList());
    }

    private static StoredCredentials view(ModelCredentialStore.Stored s) {
        return new StoredCredentials(s.credentials().provider().name(), s.credentials().masked(), s.createdAt(), s.updatedAt());
    }

    private Object store(Call call) {
        record Req(Provider provider, ModelCredentials credentials, boolean verify) {}
        Req req = call.body(b -> {
            Provider provider = b.requiredEnum("provider", Provider.class);
            boolean verify = b.bool("verify", true);
            JsonNode given = b.requiredObjectNode("credentials");
            if (provider == null || b.raw("credentials").filter(JsonNode::isObject).isEmpty()) return null;
            if (provider == Provider.LOCAL) {
                return b.problem("provider", "Value error, the local model needs no credentials", "value_error",
                        io.catchment.json.Json.tree(provider.name()), null);
            }
            ModelCredentials credentials = parse(b, provider, given);
            return credentials == null ? null : new Req(provider, credentials, verify);
        });
        long org = call.caller().organizationId();
        if (req.verify()) verify(req.credentials());
        store.put(org, req.credentials());
        remote.forget(org);
        log.atInfo().addKeyValue("organization_id", org).addKeyValue("provider", req.provider())
                .addKeyValue("verified", req.verify()).log("model credentials stored");
        return store.list(org).values().stream().filter(s -> s.credentials().provider() == req.provider())
                .map(ModelsApi::view).findFirst().orElseThrow();
    }

    private static ModelCredentials parse(BodyReader b, Provider provider, JsonNode given) {
        try {
            return CredentialsJson.read(provider, given);
        } catch (InvalidCredentials e) {
            return b.problemAt(List.of("credentials", e.field()), "Value error, " + e.field() + " " + e.getMessage(),
                    "value_error", given.get(e.field()) == null ? given : given.get(e.field()), null);
        }
    }

    private Object remove(Call call) {
        String name = call.ctx().pathParam("provider");
        Provider provider = STORABLE.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiError.notFound("Unknown provider '" + (name.length() > 40 ? name.substring(0, 40)
                        : name) + "'; one of: " + String.join(", ", STORABLE.stream().map(Enum::name).toList())));
        long org = call.caller().organizationId();
        if (!store.remove(org, provider)) throw ApiError.notFound("No " + provider + " credentials are stored");
        remote.forget(org);
        return Success.OK;
    }

    /** One small real call with the credentials: a 400 when the provider refuses them. */
    private void verify(ModelCredentials credentials) {
        try {
            if (credentials.provider() == Provider.JINA) {
                remote.rerankerWith(RerankModel.JINA_RERANKER_MULTILINGUAL_V2, credentials).orElseThrow()
                        .rerank("credential check", List.of("credential check"), 1);
                return;
            }
            EmbeddingModel model = remote.withCredentials(probeModel(credentials), credentials).orElseThrow();
            model.embed(List.of("credential check"), EmbeddingModel.InputType.QUERY);
        } catch (EmbeddingException e) {
            if (e.retryable()) {
                throw new ApiError(503, "Could not verify the " + credentials.provider() + " credentials now: "
                        + e.getMessage() + ". Try again, or send verify=false to store them unchecked.");
            }
            throw ApiError.badRequest("The " + credentials.provider() + " credentials were refused: " + e.getMessage());
        }
    }

    /** The cheapest model that shows the credentials work (for Azure: a model it has a deployment for). */
    private static EmbeddingGenerator probeModel(ModelCredentials credentials) {
        return switch (credentials) {
            case ModelCredentials.OpenAi c -> EmbeddingGenerator.OPENAI_ADA_SMALL_512;
            case ModelCredentials.AzureOpenAi c -> Arrays.stream(EmbeddingGenerator.values())
                    .filter(g -> g.provider() == Provider.AZURE_OPENAI)
                    .filter(g -> c.deployments().containsKey(g.wireName()) || c.deployments().containsKey(g.upstreamModel()))
                    .findFirst().orElse(EmbeddingGenerator.AZURE_OPENAI);
            case ModelCredentials.Cohere c -> EmbeddingGenerator.COHERE_MULTILINGUAL_V3;
            case ModelCredentials.Upstage c -> EmbeddingGenerator.SOLAR_1_MINI;
            case ModelCredentials.VertexAi c -> EmbeddingGenerator.VERTEX_MULTIMODAL;
            case ModelCredentials.Jina c -> throw new IllegalStateException("Jina AI serves no embedding model");
        };
    }
}
