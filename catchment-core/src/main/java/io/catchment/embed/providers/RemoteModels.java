package io.catchment.embed.providers;

import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingGenerator.Provider;
import io.catchment.embed.EmbeddingModel;
import io.catchment.embed.RemoteModelSource;
import io.catchment.embed.cohere.CohereEmbeddings;
import io.catchment.embed.cohere.CohereReranker;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.jina.JinaReranker;
import io.catchment.embed.openai.AzureOpenAiEmbeddings;
import io.catchment.embed.openai.OpenAiEmbeddings;
import io.catchment.embed.remote.JsonApiClient;
import io.catchment.embed.upstage.UpstageEmbeddings;
import io.catchment.embed.vertex.VertexMultimodalEmbeddings;
import io.catchment.rerank.RerankModel;
import io.catchment.rerank.Reranker;
import io.catchment.rerank.RerankerSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

/**
 * Remote embedding models and rerankers per organization. An organization's stored credentials for
 * a provider win over the server's; they are read at most every {@link #ORGANIZATION_CACHE} (so a
 * change made through another process applies within that time, and at once in this one through
 * {@link #forget}). Models are kept per (model, credentials): the same credentials reuse one
 * instance, and with it a provider's access-token cache.
 */
public final class RemoteModels implements RemoteModelSource, RerankerSource {
    static final Duration ORGANIZATION_CACHE = Duration.ofSeconds(5);

    private final Map<Provider, ModelCredentials> serverWide;
    private final LongFunction<Map<Provider, ModelCredentials>> organizationCredentials;
    private final JsonApiClient client;
    private final Clock clock;
    private final ConcurrentHashMap<Long, Cached> byOrganization = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ModelKey, EmbeddingModel> models = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<RerankKey, Reranker> rerankers = new ConcurrentHashMap<>();

    private record Cached(Map<Provider, ModelCredentials> credentials, Instant until) {}

    private record ModelKey(EmbeddingGenerator generator, ModelCredentials credentials) {}

    private record RerankKey(RerankModel model, ModelCredentials credentials) {}

    public RemoteModels(Map<Provider, ModelCredentials> serverWide,
                        LongFunction<Map<Provider, ModelCredentials>> organizationCredentials,
                        JsonApiClient client, Clock clock) {
        this.serverWide = Map.copyOf(serverWide);
        this.organizationCredentials = organizationCredentials;
        this.client = client;
        this.clock = clock;
    }

    @Override
    public Optional<EmbeddingModel> find(long organizationId, EmbeddingGenerator generator) {
        return credentials(organizationId, generator.provider()).flatMap(c -> withCredentials(generator, c));
    }

    @Override
    public boolean configuredServerWide(EmbeddingGenerator generator) {
        return serverWide.containsKey(generator.provider());
    }

    /** The providers the server itself has credentials for. */
    public java.util.Set<Provider> serverProviders() {
        return serverWide.keySet();
    }

    /** The model with exactly these credentials, kept for reuse; empty when they are for another provider. */
    public Optional<EmbeddingModel> withCredentials(EmbeddingGenerator generator, ModelCredentials credentials) {
        if (!generator.remote() || credentials.provider() != generator.provider()) return Optional.empty();
        return Optional.of(models.computeIfAbsent(new ModelKey(generator, credentials), k -> build(generator, credentials)));
    }

    /**
     * The model with credentials given in one request ({@code custom_credentials}): built for that
     * request and not kept, so callers sending ever new keys cannot grow the cache.
     */
    public Optional<EmbeddingModel> forRequest(EmbeddingGenerator generator, ModelCredentials credentials) {
        if (!generator.remote() || credentials.provider() != generator.provider()) return Optional.empty();
        return Optional.of(build(generator, credentials));
    }

    @Override
    public Optional<Reranker> find(long organizationId, RerankModel model) {
        return model.provider().flatMap(p -> credentials(organizationId, p)).flatMap(c -> rerankerWith(model, c));
    }

    /** The reranker with exactly these credentials; empty when they are for another provider. */
    public Optional<Reranker> rerankerWith(RerankModel model, ModelCredentials credentials) {
        if (model.provider().filter(p -> p == credentials.provider()).isEmpty()) return Optional.empty();
        return Optional.of(rerankers.computeIfAbsent(new RerankKey(model, credentials), k -> switch (credentials) {
            case ModelCredentials.Cohere c -> new CohereReranker(c, client);
            case ModelCredentials.Jina c -> new JinaReranker(c, client);
            default -> throw new IllegalStateException("no reranker for " + credentials.provider());
        }));
    }

    /** Drops what is cached for the organization (after its credentials changed in this process). */
    public void forget(long organizationId) {
        byOrganization.remove(organizationId);
    }

    private Optional<ModelCredentials> credentials(long organizationId, Provider provider) {
        Instant now = clock.instant();
        Cached cached = byOrganization.compute(organizationId, (id, old) -> old != null && old.until().isAfter(now) ? old
                : new Cached(new EnumMap<>(organizationCredentialsOrEmpty(id)), now.plus(ORGANIZATION_CACHE)));
        return Optional.ofNullable(cached.credentials().get(provider)).or(() -> Optional.ofNullable(serverWide.get(provider)));
    }

    private Map<Provider, ModelCredentials> organizationCredentialsOrEmpty(long organizationId) {
        Map<Provider, ModelCredentials> found = organizationCredentials.apply(organizationId);
        return found.isEmpty() ? new EnumMap<>(Provider.class) : found;
    }

    private EmbeddingModel build(EmbeddingGenerator generator, ModelCredentials credentials) {
        return switch (credentials) {
            case ModelCredentials.OpenAi c -> OpenAiEmbeddings.model(generator, c, client);
            case ModelCredentials.AzureOpenAi c -> AzureOpenAiEmbeddings.model(generator, c, client);
            case ModelCredentials.Cohere c -> CohereEmbeddings.model(generator, c, client);
            case ModelCredentials.Upstage c -> UpstageEmbeddings.model(generator, c, client);
            case ModelCredentials.VertexAi c -> VertexMultimodalEmbeddings.model(generator, c, client, clock);
            case ModelCredentials.Jina c -> throw new IllegalStateException("Jina AI serves no embedding model here");
        };
    }
}
