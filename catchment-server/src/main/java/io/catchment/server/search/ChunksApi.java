package io.catchment.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModel;
import io.catchment.embed.EmbeddingModels;
import io.catchment.embed.credentials.ModelCredentials;
import io.catchment.embed.providers.RemoteModels;
import io.catchment.files.ChunkPage;
import io.catchment.files.ChunkRow;
import io.catchment.files.ChunkStore;
import io.catchment.files.FileFilters;
import io.catchment.files.FileQuery;
import io.catchment.files.FileStore;
import io.catchment.files.StoredFile;
import io.catchment.ingest.Ingestion;
import io.catchment.ingest.chunk.Chunker;
import io.catchment.server.api.Pagination;
import io.catchment.server.files.FileFiltersReader;
import io.catchment.server.api.Success;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.RateTier;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /text_chunks}, {@code /list_chunks_and_embeddings}, {@code /upload_chunks_and_embeddings}. */
public final class ChunksApi {
    private final FileStore files;
    private final ChunkStore chunks;
    private final Ingestion ingestion;
    private final EmbeddingModels models;
    private final RemoteModels remoteModels;
    private final Chunker tokens;

    public ChunksApi(FileStore files, ChunkStore chunks, Ingestion ingestion, EmbeddingModels models,
                     RemoteModels remoteModels, Chunker tokens) {
        this.remoteModels = remoteModels;
        this.files = files;
        this.chunks = chunks;
        this.ingestion = ingestion;
        this.models = models;
        this.tokens = tokens;
    }

    record EmbeddingAndChunk(long userFileId, int chunkIndex, String sourceContent, Optional<float[]> embedding,
                             Map<String, Object> contentMetadata) {}

    record EmbeddingsAndChunksResponse(List<EmbeddingAndChunk> results, long count) {}

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/text_chunks", Access.CUSTOMER, RateTier.UNTIERED, this::textChunks),
                ApiRoute.post("/list_chunks_and_embeddings", Access.CUSTOMER, RateTier.UNTIERED, this::listChunks),
                ApiRoute.post("/upload_chunks_and_embeddings", Access.CUSTOMER, RateTier.TIER_3, this::upload));
    }

    private Object textChunks(Call call) {
        record Req(long fileId, Optional<String> model, ChunkStore.ChunkOrder order, SortDirection dir, Page page, boolean vectors) {}
        Req req = call.body(b -> {
            record Filters(long fileId, Optional<String> model) {}
            Filters f = b.raw("filters").isPresent() ? b.object("filters", fb -> new Filters(requiredId(fb, "user_file_id"),
                    fb.raw("embedding_model").map(v -> fb.enumValue("embedding_model", EmbeddingGenerator.class,
                            EmbeddingGenerator.ALL_MINILM_L6_V2).name())), new Filters(0, Optional.empty()))
                    : new Filters(requiredObject(b, "filters"), Optional.empty());
            return new Req(f.fileId(), f.model(), b.enumValue("order_by", ChunkStore.ChunkOrder.class, ChunkStore.ChunkOrder.UPDATED_AT),
                    b.enumValue("order_dir", SortDirection.class, SortDirection.ASC), Pagination.field(b),
                    b.bool("include_vectors", false));
        });
        Caller.CustomerScoped caller = call.customer();
        StoredFile file = files.findForCustomer(caller.customer().id(), req.fileId())
                .orElseThrow(() -> ApiError.notFound("File not found: no file " + req.fileId() + " for this user"));
        return response(chunks.ofFile(caller.customer().id(), file.id(), req.model(), req.order(), req.dir(), req.page(),
                req.vectors()));
    }

    private Object listChunks(Call call) {
        record Req(FileFilters filters, FileQuery.OrderBy order, SortDirection dir, Page page, boolean vectors) {}
        Req req = call.body(b -> new Req(FileFiltersReader.field(b),
                b.enumValue("order_by", FileQuery.OrderBy.class, FileQuery.OrderBy.UPDATED_AT),
                b.enumValue("order_dir", SortDirection.class, SortDirection.ASC), Pagination.field(b),
                b.bool("include_vectors", false)));
        return response(chunks.ofFiles(call.customer().customer().id(), req.filters(), req.order(), req.dir(), req.page(),
                req.vectors()));
    }

    private static List<float[]> embedded(EmbeddingModel model, List<Given> given) {
        try {
            return model.embed(given.stream().map(Given::text).toList(), EmbeddingModel.InputType.DOCUMENT);
        } catch (EmbeddingException e) {
            throw ModelFailures.apiError("Failed to generate embeddings", e);
        }
    }

    private static EmbeddingsAndChunksResponse response(ChunkPage page) {
        return new EmbeddingsAndChunksResponse(page.chunks().stream().map(c -> new EmbeddingAndChunk(c.fileId(),
                c.chunk().index(), c.chunk().content(), c.chunk().embedding(), c.chunk().metadata())).toList(), page.count());
    }

    /** One file's chunks in the upload: their numbers, text, and vectors (absent with chunks_only). */
    private record FileChunks(long fileId, List<Given> chunks) {}

    private record Given(int number, String text, Optional<float[]> vector) {}

    private Object upload(Call call) {
        record Req(EmbeddingGenerator model, List<FileChunks> files, boolean overwrite, boolean chunksOnly,
                   Optional<ModelCredentials> credentials) {}
        Req req = call.body(b -> {
            EmbeddingGenerator model = b.requiredEnum("embedding_model", EmbeddingGenerator.class);
            boolean chunksOnly = b.bool("chunks_only", false);
            List<FileChunks> list = fileChunks(b, model, chunksOnly);
            Optional<ModelCredentials> credentials = CustomCredentialsReader.read(b, model);
            return new Req(model, list, b.bool("overwrite_existing", false), chunksOnly, credentials);
        });
        Caller.CustomerScoped caller = call.customer();
        List<StoredFile> targets = new ArrayList<>();
        for (FileChunks fc : req.files()) {
            targets.add(files.findForCustomer(caller.customer().id(), fc.fileId())
                    .orElseThrow(() -> ApiError.notFound("File not found: no file " + fc.fileId() + " for this user")));
        }
        long organizationId = caller.organizationId();
        Optional<EmbeddingModel> embedder = req.chunksOnly() ? Optional.of(req.credentials()
                .flatMap(c -> remoteModels.forRequest(req.model(), c))
                .or(() -> models.find(organizationId, req.model().name()))
                .orElseThrow(() -> ApiError.badRequest(models.unavailableReason(organizationId, req.model().name())
                        + " (chunks_only asks the server to embed the chunks)"))) : Optional.empty();
        for (int i = 0; i < targets.size(); i++) {
            StoredFile file = targets.get(i);
            List<Given> given = req.files().get(i).chunks();
            List<float[]> vectors = embedder.isPresent() ? embedded(embedder.get(), given)
                    : given.stream().map(g -> g.vector().orElseThrow()).toList();
            List<ChunkRow> rows = new ArrayList<>();
            for (int c = 0; c < given.size(); c++) {
                Given g = given.get(c);
                rows.add(new ChunkRow(g.number(), g.text(), tokens.countTokens(g.text()), Map.of("source", "uploaded"),
                        Optional.of(req.model().name()), Optional.of(vectors.get(c))));
            }
            boolean otherModel = file.embeddingModel().filter(m -> !m.equals(req.model().name())).isPresent();
            if (otherModel && !req.overwrite()) {
                throw ApiError.badRequest("File " + file.id() + " holds " + file.embeddingModel().get() + " vectors; "
                        + "adding " + req.model().name() + " vectors would mix models: set overwrite_existing=true");
            }
            ingestion.replaceChunks(file, Optional.of(req.model().name()), rows, req.overwrite());
        }
        return Success.OK;
    }

    private static List<FileChunks> fileChunks(BodyReader b, EmbeddingGenerator model, boolean chunksOnly) {
        JsonNode list = b.raw("chunks_and_embeddings").orElse(null);
        if (list == null) {
            b.requiredString("chunks_and_embeddings");
            return List.of();
        }
        if (!list.isArray()) return b.problem("chunks_and_embeddings", "Input should be a valid list", "list_type", list, List.of());
        List<FileChunks> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            FileChunks fc = b.objectAt(List.of("chunks_and_embeddings", i), list.get(i), fb -> {
                long fileId = requiredId(fb, "file_id");
                fb.raw("chunk_size");
                fb.raw("chunk_overlap");
                JsonNode items = fb.raw("chunks_and_embeddings").orElse(null);
                List<Given> given = new ArrayList<>();
                if (items == null || !items.isArray()) {
                    fb.problem("chunks_and_embeddings", "Input should be a valid list", "list_type",
                            items == null ? io.catchment.json.Json.object() : items, null);
                    return new FileChunks(fileId, given);
                }
                for (int c = 0; c < items.size(); c++) {
                    int number = c;
                    given.add(fb.objectAt(List.of("chunks_and_embeddings", c), items.get(c), cb -> {
                        int n = cb.raw("chunk_number").isPresent() ? (int) cb.integer("chunk_number", number, 0, 1_000_000) : number;
                        String text = cb.requiredString("chunk");
                        Optional<float[]> vector = cb.raw("embedding").map(v -> vector(cb, v, model));
                        if (vector.isEmpty() && !chunksOnly) {
                            cb.problem("embedding", "Field required unless chunks_only is true", "missing",
                                    io.catchment.json.Json.object(), null);
                        }
                        return new Given(n, text, vector);
                    }, new Given(number, "", Optional.empty())));
                }
                return new FileChunks(fileId, given);
            }, new FileChunks(0, List.of()));
            out.add(fc);
        }
        return out;
    }

    private static float[] vector(BodyReader b, JsonNode v, EmbeddingGenerator model) {
        if (!v.isArray()) return b.problem("embedding", "Input should be a list of numbers", "list_type", v, new float[0]);
        if (v.size() != model.dimensions()) {
            return b.problem("embedding", "Value error, " + model.name() + " vectors have " + model.dimensions()
                    + " dimensions, this one has " + v.size(), "value_error", io.catchment.json.Json.tree(v.size()), new float[0]);
        }
        float[] out = new float[v.size()];
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isNumber()) return b.problem("embedding", "Input should be a list of numbers", "float_type", v.get(i), out);
            out[i] = v.get(i).floatValue();
        }
        double norm = 0;
        for (float x : out) norm += x * x;
        if (!(norm > 0)) return b.problem("embedding", "Value error, a zero vector cannot be searched", "value_error", v, out);
        return out;
    }

    private static long requiredId(BodyReader b, String field) {
        if (b.raw(field).isEmpty()) {
            b.requiredString(field);
            return 0;
        }
        return b.integer(field, 0, 1, Long.MAX_VALUE);
    }

    private static long requiredObject(BodyReader b, String field) {
        b.requiredObjectNode(field);
        return 0;
    }
}
