package io.catchment.server.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.files.FileFilters;
import io.catchment.files.MediaType;
import io.catchment.files.TagFilter;
import io.catchment.rerank.RerankModel;
import io.catchment.server.files.FileFiltersReader;
import io.catchment.server.http.BodyReader;
import io.catchment.search.Retrieval;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Carbon's {@code GetEmbeddingDocumentsBody}, validated. */
record EmbeddingsRequest(
        String query,
        Optional<float[]> queryVector,
        int k,
        Optional<FileFilters> filters,
        boolean includeTags,
        boolean includeVectors,
        boolean includeRawFile,
        Retrieval retrieval,
        MediaType mediaType,
        Optional<EmbeddingGenerator> embeddingModel,
        boolean includeFileLevelMetadata,
        boolean highAccuracy,
        Optional<RerankModel> rerank) {

    static final int MAX_K = 1000;

    static EmbeddingsRequest read(BodyReader b) {
        String query = b.requiredString("query");
        int k = (int) requiredInt(b, "k", 1, MAX_K);
        Optional<float[]> vector = b.raw("query_vector").map(v -> vector(b, v));
        List<Long> fileIds = b.optionalLongList("file_ids").orElse(List.of());
        List<Long> parents = b.optionalLongList("parent_file_ids").orElse(List.of());
        boolean allChildren = b.bool("include_all_children", false);
        Optional<TagFilter> tags = FileFiltersReader.tags(b);
        Optional<FileFilters> filters = fileIds.isEmpty() && parents.isEmpty() && tags.isEmpty() ? Optional.empty()
                : Optional.of(FileFilters.restriction(fileIds, parents, allChildren, tags));
        boolean hybrid = b.bool("hybrid_search", false);
        Retrieval retrieval = hybrid
                ? b.nullableObject("hybrid_search_tuning_parameters", EmbeddingsRequest::weights, Retrieval.Hybrid.DEFAULT)
                : new Retrieval.Semantic();
        MediaType media = b.raw("media_type").isPresent() ? b.enumValue("media_type", MediaType.class, MediaType.TEXT) : MediaType.TEXT;
        Optional<EmbeddingGenerator> model = b.raw("embedding_model").isPresent()
                ? Optional.of(b.enumValue("embedding_model", EmbeddingGenerator.class, EmbeddingGenerator.ALL_MINILM_L6_V2))
                : Optional.empty();
        Optional<RerankModel> rerank = b.raw("rerank").map(v -> b.object("rerank",
                r -> r.requiredEnum("model", RerankModel.class), RerankModel.COHERE_RERANK_MULTILINGUAL_V3));
        b.optionalStringList("file_types_at_source", 100);
        b.bool("exclude_cold_storage_files", false);
        return new EmbeddingsRequest(query, vector, k, filters, b.bool("include_tags", false),
                b.bool("include_vectors", false), b.bool("include_raw_file", false), retrieval, media, model,
                b.bool("include_file_level_metadata", false), b.bool("high_accuracy", false), rerank);
    }

    /** weight_a (semantic) and weight_b (keyword), each in 0..1, summing to 1 within 0.001. */
    private static Retrieval weights(BodyReader b) {
        double a = requiredNumber(b, "weight_a");
        double w = requiredNumber(b, "weight_b");
        if (a < 0 || w < 0 || Math.abs(a + w - 1) > 0.001) {
            b.problem("weight_a", "Value error, weight_a and weight_b must be between 0 and 1 and sum to 1 (got "
                    + a + " + " + w + ")", "value_error", io.catchment.json.Json.tree(a), null);
            return Retrieval.Hybrid.DEFAULT;
        }
        return new Retrieval.Hybrid(a, w);
    }

    private static long requiredInt(BodyReader b, String field, long min, long max) {
        if (b.raw(field).isEmpty()) {
            b.requiredString(field); // reports "missing"
            return min;
        }
        return b.integer(field, min, min, max);
    }

    private static double requiredNumber(BodyReader b, String field) {
        Optional<JsonNode> v = b.raw(field);
        if (v.isEmpty()) {
            b.requiredString(field);
            return 0;
        }
        if (!v.get().isNumber()) return b.problem(field, "Input should be a valid number", "float_type", v.get(), 0.0);
        return v.get().doubleValue();
    }

    private static float[] vector(BodyReader b, JsonNode v) {
        if (!v.isArray() || v.isEmpty()) {
            return b.problem("query_vector", "Input should be a non-empty list of numbers", "list_type", v, new float[0]);
        }
        float[] out = new float[v.size()];
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (v.get(i).isNumber() && Double.isFinite(v.get(i).doubleValue())) out[i] = v.get(i).floatValue();
            else bad.add(i);
        }
        if (!bad.isEmpty()) b.problem("query_vector", "Input should be a list of finite numbers (bad items " + bad + ")",
                "float_type", v, null);
        return out;
    }
}
