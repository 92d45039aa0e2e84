package io.catchment.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.embed.EmbeddingGenerator;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.IngestOptions;
import io.catchment.files.MediaType;
import io.catchment.ingest.chunk.ChunkingOptions;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.BodyReader;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads Carbon's ingestion options (query string of /uploadfile, body of the other upload
 * endpoints) with Carbon's defaults. The embedding model defaults to the server's default;
 * a model the server cannot serve is a 400 that says what to configure.
 */
public final class IngestOptionsReader {
    private static final Set<Integer> TTL_DAYS = Set.of(1, 3, 7, 14, 30);

    private IngestOptionsReader() {}

    public static IngestOptions read(BodyReader b, EmbeddingModels models) {
        int chunkSize = (int) b.integer("chunk_size", ChunkingOptions.DEFAULT_CHUNK_SIZE, 1, 100_000);
        int chunkOverlap = (int) b.integer("chunk_overlap", ChunkingOptions.DEFAULT_CHUNK_OVERLAP, 0, 100_000);
        if (chunkOverlap >= chunkSize) {
            b.problem("chunk_overlap", "Value error, chunk_overlap must be smaller than chunk_size (" + chunkSize + ")",
                    "value_error", io.catchment.json.Json.tree(chunkOverlap), null);
        }
        OptionalInt maxItems = b.optionalInt("max_items_per_chunk", 1);
        Optional<EmbeddingGenerator> model = b.raw("embedding_model").isPresent()
                ? Optional.of(b.enumValue("embedding_model", EmbeddingGenerator.class, EmbeddingGenerator.ALL_MINILM_L6_V2))
                : Optional.empty();
        MediaType mediaType = b.raw("media_type").isPresent()
                ? b.enumValue("media_type", MediaType.class, MediaType.TEXT) : MediaType.TEXT;
        ColdStorage cold = coldStorage(b);
        IngestOptions options = new IngestOptions(chunkSize, chunkOverlap,
                b.bool("skip_embedding_generation", false),
                b.bool("set_page_as_boundary", false),
                // Images are embedded by the multimodal model whatever embedding_model says, as Carbon does.
                Optional.of(mediaType == MediaType.IMAGE ? EmbeddingGenerator.VERTEX_MULTIMODAL.wireName()
                        : model.map(Enum::name).orElse(models.defaultModelName())),
                b.bool("use_ocr", false),
                b.bool("generate_sparse_vectors", false),
                b.bool("prepend_filename_to_chunks", false),
                maxItems,
                b.bool("parse_pdf_tables_with_ocr", false),
                b.bool("split_rows", false),
                mediaType,
                b.bool("generate_chunks_only", false),
                b.bool("store_file_only", false),
                b.bool("skip_file_processing", false),
                cold.enabled(), cold.ttlDays());
        // Audio fields are accepted for compatibility; audio itself is refused below.
        b.bool("detect_audio_language", false);
        b.bool("include_speaker_labels", false);
        return options;
    }

    /** Checks what can only be checked once the request is valid: model and media type are servable. */
    public static void requireServable(IngestOptions options, EmbeddingModels models, long organizationId) {
        if (options.mediaType() == MediaType.AUDIO || options.mediaType() == MediaType.VIDEO) {
            throw ApiError.badRequest("media_type " + options.mediaType() + " is not supported by this server yet: "
                    + "audio and video transcription need a transcription service");
        }
        if (options.embeds()) {
            String name = options.embeddingModel().orElseThrow();
            if (models.find(organizationId, name).isEmpty()) {
                String hint = options.mediaType() == MediaType.IMAGE ? " (media_type IMAGE embeds the image itself with "
                        + name + "; to embed the text in an image instead, upload it with media_type TEXT and use_ocr=true)" : "";
                throw ApiError.badRequest(models.unavailableReason(organizationId, name) + hint);
            }
        }
    }

    private record ColdStorage(boolean enabled, OptionalInt ttlDays) {}

    /** Top-level enable_cold_storage / hot_storage_time_to_live, or Carbon's cold_storage_params object. */
    private static ColdStorage coldStorage(BodyReader b) {
        Optional<JsonNode> params = b.raw("cold_storage_params");
        if (params.isPresent()) {
            return b.object("cold_storage_params", IngestOptionsReader::coldStorageFields, new ColdStorage(false, OptionalInt.empty()));
        }
        return coldStorageFields(b);
    }

    private static ColdStorage coldStorageFields(BodyReader b) {
        boolean enabled = b.bool("enable_cold_storage", false);
        OptionalInt ttl = b.optionalInt("hot_storage_time_to_live", 1);
        if (ttl.isPresent() && !TTL_DAYS.contains(ttl.getAsInt())) {
            ttl = b.problem("hot_storage_time_to_live", "Input should be 1, 3, 7, 14 or 30", "literal_error",
                    io.catchment.json.Json.tree(ttl.getAsInt()), OptionalInt.empty());
        }
        return new ColdStorage(enabled, ttl);
    }
}
