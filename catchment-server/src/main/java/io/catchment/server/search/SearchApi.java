package io.catchment.server.search;

import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.FileStore;
import io.catchment.files.StoredFile;
import io.catchment.search.ChunkHit;
import io.catchment.search.ChunkIndex;
import io.catchment.search.ChunkQuery;
import io.catchment.rerank.Reranker;
import io.catchment.rerank.RerankerSource;
import io.catchment.search.Retrieval;
import io.catchment.server.files.FileContext;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.RateTier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code POST /embeddings}. Only chunks embedded with the query's model are searched by vector
 * (as Carbon does); when the caller has no READY file with that model, the answer says so in
 * the {@code x-catchment-notice} header and a {@code notice} field instead of an unexplained
 * empty list. Keyword and hybrid retrieval need no extra switches. {@code rerank} reorders a
 * wider candidate set with a cross-encoder ({@link Reranking}).
 */
public final class SearchApi {
    static final String NOTICE_HEADER = "x-catchment-notice";

    private final FileStore files;
    private final ChunkIndex index;
    private final EmbeddingModels models;
    private final FileContext fileContext;
    private final ChunksApi chunks;
    private final Reranking reranking;

    public SearchApi(FileStore files, ChunkIndex index, EmbeddingModels models, RerankerSource rerankers,
                     FileContext fileContext, ChunksApi chunks) {
        this.files = files;
        this.index = index;
        this.models = models;
        this.reranking = new Reranking(rerankers);
        this.fileContext = fileContext;
        this.chunks = chunks;
    }

    record DocumentResponseList(List<DocumentResponse> documents, Optional<String> notice) {}

    public List<ApiRoute> routes() {
        List<ApiRoute> routes = new ArrayList<>(chunks.routes());
        routes.add(ApiRoute.post("/embeddings", Access.CUSTOMER, RateTier.UNTIERED, this::search));
        return routes;
    }

    private Object search(Call call) {
        EmbeddingsRequest req = call.body(EmbeddingsRequest::read);
        Caller.CustomerScoped caller = call.customer();
        String modelName = queryModel(req);
        Optional<Reranker> reranker = req.rerank().map(m -> reranking.resolve(caller.organizationId(), m));
        int dimensions = EmbeddingGenerator.fromWire(modelName).orElseThrow().dimensions();
        Optional<float[]> vector = req.queryVector();
        if (vector.isPresent() && vector.get().length != dimensions) {
            throw ApiError.badRequest("query_vector has " + vector.get().length + " dimensions but " + modelName
                    + " vectors have " + dimensions);
        }
        boolean needsVector = !(req.retrieval() instanceof Retrieval.Keyword);
        if (needsVector && vector.isEmpty()) vector = Optional.of(embedQuery(caller.organizationId(), modelName, req.query()));

        long customer = caller.customer().id();
        Optional<Set<Long>> allowed = req.filters().map(f -> files.matchingIds(customer, f));
        boolean rerank = reranker.isPresent() && !req.query().isBlank();
        int wanted = rerank ? Reranking.candidates(req.k(), reranker.get()) : req.k();
        List<ChunkHit> hits = req.query().isBlank() && !(req.retrieval() instanceof Retrieval.Semantic) ? List.of()
                : index.search(new ChunkQuery(caller.organizationId(), customer, modelName, vector,
                        Optional.of(req.query()).filter(q -> !q.isBlank()), retrieval(req), wanted, allowed,
                        req.highAccuracy()));
        if (rerank) hits = Reranking.rerank(reranker.get(), req.query(), hits, req.k());
        List<DocumentResponse> documents = documents(call, caller, req, hits);
        // Only an empty answer can be explained by the model; skip the extra query otherwise.
        Optional<String> notice = !documents.isEmpty() || files.readyFilesWithModel(customer, modelName) > 0
                ? Optional.empty() : Optional.of(noMatchingModel(customer, modelName));
        notice.ifPresent(n -> call.ctx().header(NOTICE_HEADER, n));
        return new DocumentResponseList(documents, notice);
    }

    /** Hybrid on a blank query degrades to semantic (there are no keywords to match). */
    private static Retrieval retrieval(EmbeddingsRequest req) {
        return req.query().isBlank() ? new Retrieval.Semantic() : req.retrieval();
    }

    /**
     * The model whose chunks are searched: the request's, else the server default; for
     * {@code media_type=IMAGE} always the multimodal model, whose text vectors share the images' space.
     */
    private String queryModel(EmbeddingsRequest req) {
        return switch (req.mediaType()) {
            case TEXT -> req.embeddingModel().map(Enum::name).orElse(models.defaultModelName());
            case IMAGE -> EmbeddingGenerator.VERTEX_MULTIMODAL.wireName();
            case AUDIO, VIDEO -> throw ApiError.badRequest("media_type " + req.mediaType() + " search is not supported "
                    + "by this server: audio and video need a transcription service; search TEXT or IMAGE");
        };
    }

    /** The query's vector, embedded as a query (providers with asymmetric models embed it differently). */
    private float[] embedQuery(long organizationId, String modelName, String query) {
        EmbeddingModel model = models.find(organizationId, modelName)
                .orElseThrow(() -> ApiError.badRequest(models.unavailableReason(organizationId, modelName)
                        + " (or send query_vector made with that model)"));
        try {
            return model.embed(List.of(query), EmbeddingModel.InputType.QUERY).getFirst();
        } catch (EmbeddingException e) {
            throw ModelFailures.apiError("Failed to generate embeddings", e);
        }
    }

    private String noMatchingModel(long customer, String modelName) {
        List<String> inUse = files.modelsInUse(customer);
        return "No READY file of this user is embedded with " + modelName + "; only chunks embedded with the query's "
                + "model are searched. " + (inUse.isEmpty() ? "This user has no embedded files."
                : "Files are embedded with: " + String.join(", ", inUse) + " (set embedding_model to search them).");
    }

    /** Joins hits to their files; a hit whose file is gone (or not the caller's) is dropped. */
    private List<DocumentResponse> documents(Call call, Caller.CustomerScoped caller, EmbeddingsRequest req, List<ChunkHit> hits) {
        Map<Long, StoredFile> byId = files.byIds(caller.customer().id(), hits.stream().map(ChunkHit::fileId).distinct().toList());
        List<DocumentResponse> out = new ArrayList<>();
        for (ChunkHit h : hits) {
            StoredFile f = byId.get(h.fileId());
            if (f == null) continue;
            Map<String, Object> metadata = new HashMap<>(h.metadata());
            if (req.includeFileLevelMetadata()) {
                metadata.put("file_metadata", io.catchment.json.Json.toMap(f.fileMetadata()));
                metadata.put("file_name", f.name());
            }
            Optional<String> link = req.includeRawFile() ? fileContext.rawLink(call.ctx(), f) : Optional.empty();
            out.add(new DocumentResponse(h.text(), f.id(), f.parentId(), Optional.of(f.name()), f.externalUrl(),
                    Optional.of(f.source()), link, req.includeTags() ? Optional.of(f.tags()) : Optional.empty(),
                    req.includeVectors() ? h.vector() : Optional.empty(), h.score(), out.size() + 1, metadata,
                    h.chunkIndex()));
        }
        return out;
    }
}
