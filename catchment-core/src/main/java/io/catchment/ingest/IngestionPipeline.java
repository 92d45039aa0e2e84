package io.catchment.ingest;

import io.catchment.blob.BlobStore;
import io.catchment.embed.EmbeddingException;
import io.catchment.embed.EmbeddingModel;
import io.catchment.embed.EmbeddingModels;
import io.catchment.embed.ImageInput;
import io.catchment.files.MediaType;
import io.catchment.files.ChunkRow;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStatus;
import io.catchment.files.FileStore;
import io.catchment.files.IngestOptions;
import io.catchment.files.StoredFile;
import io.catchment.ingest.chunk.Chunk;
import io.catchment.ingest.chunk.Chunker;
import io.catchment.ingest.parse.DocumentParser;
import io.catchment.ingest.parse.ParseResult;
import io.catchment.ingest.parse.ParsedDocument;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.tenancy.UserConfiguration;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one file from queued to a final state: blob → parse → limits → chunk → embed → store
 * chunks and READY in one transaction → index. Every step can run again safely; work for an
 * outdated generation of the file is dropped.
 */
public final class IngestionPipeline {
    private static final Logger log = LoggerFactory.getLogger(IngestionPipeline.class);
    public static final int MAX_ATTEMPTS = 3;

    private final FileStore files;
    private final FileLifecycle lifecycle;
    private final BlobStore blobs;
    private final DocumentParser parser;
    private final Chunker chunker;
    private final EmbeddingModels models;
    private final Indexer indexer;
    private final Customers customers;
    private final Organizations organizations;
    private final SourceContent sources;

    /** A pipeline for uploads only: files from connectors cannot be fetched. */
    public IngestionPipeline(FileStore files, FileLifecycle lifecycle, BlobStore blobs, DocumentParser parser,
                             Chunker chunker, EmbeddingModels models, Indexer indexer, Customers customers,
                             Organizations organizations) {
        this(files, lifecycle, blobs, parser, chunker, models, indexer, customers, organizations, SourceContent.NONE);
    }

    public IngestionPipeline(FileStore files, FileLifecycle lifecycle, BlobStore blobs, DocumentParser parser,
                             Chunker chunker, EmbeddingModels models, Indexer indexer, Customers customers,
                             Organizations organizations, SourceContent sources) {
        this.sources = sources;
        this.files = files;
        this.lifecycle = lifecycle;
        this.blobs = blobs;
        this.parser = parser;
        this.chunker = chunker;
        this.models = models;
        this.indexer = indexer;
        this.customers = customers;
        this.organizations = organizations;
    }

    public Outcome process(long fileId, long generation) {
        Optional<StoredFile> claimed = lifecycle.start(fileId, generation);
        if (claimed.isEmpty()) {
            // Either stale, or already final for this generation (a re-run after a crash): make sure it is indexed.
            files.find(fileId).filter(f -> f.generation() == generation && f.status() == FileStatus.READY)
                    .ifPresent(indexer::ensureIndexed);
            return new Outcome.Stale();
        }
        StoredFile file = claimed.get();
        try {
            return run(file);
        } catch (PipelineFailure e) {
            if (e.retryAfter.isPresent()) {
                lifecycle.rateLimited(file.id(), file.generation(), e.getMessage());
                return new Outcome.RetryAfter(e.getMessage(), e.retryAfter.get());
            }
            return failed(file, e.getMessage(), e.retryable);
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).addKeyValue("file_id", fileId).log("unexpected pipeline failure");
            return failed(file, "Internal error while processing the file", true);
        }
    }

    private Outcome run(StoredFile claimed) throws PipelineFailure {
        StoredFile file = claimed.rawBlob().isEmpty() && claimed.dataSourceId().isPresent() ? fetch(claimed) : claimed;
        IngestOptions options = file.options();
        if (options.storeFileOnly()) return commit(file, List.of());
        Path raw = file.rawBlob().flatMap(blobs::path)
                .orElseThrow(() -> new PipelineFailure("The file's content is missing from storage", false));
        FileFormat format = file.fileFormat().flatMap(FileFormat::fromFormatName)
                .orElseThrow(() -> new PipelineFailure("Unsupported file format for " + file.name(), false));
        if (options.mediaType() == MediaType.IMAGE) return commit(file, imageRows(file, raw, format));
        ParsedDocument document = switch (parser.parse(raw, file.name(), format, options.parseOptions())) {
            case ParseResult.Parsed parsed -> parsed.document();
            case ParseResult.Failed failed -> throw new PipelineFailure(failed.message(), failed.retryable());
        };
        String text = document.text();
        lifecycle.recordParsed(file.id(), file.generation(), storeParsed(text), text.length(), document.mimeType());
        checkCharacterLimits(file, text.length());

        List<Chunk> chunks = chunker.chunk(document, options.chunking(file.name()));
        List<ChunkRow> rows = options.embeds() ? embed(file, options, chunks) : withoutVectors(chunks);
        return commit(file, rows);
    }

    /** The fetch step for a connector's file: the content from the source into the blob store. */
    private StoredFile fetch(StoredFile file) throws PipelineFailure {
        Path target = null;
        try {
            target = java.nio.file.Files.createTempFile("catchment-fetch-", ".bin");
            Path written = target;
            switch (sources.fetch(file, written)) {
                case SourceContent.Result.Fetched f -> {
                    Optional<String> format = FileFormat.fromFileName(f.fileName())
                            .or(() -> f.mimeType().flatMap(FormatSniffer::fromMimeType))
                            .or(() -> file.fileFormat().flatMap(FileFormat::fromFormatName))
                            .or(() -> FormatSniffer.sniff(written)).map(FileFormat::name);
                    BlobStore.StoredBlob blob;
                    try (var in = java.nio.file.Files.newInputStream(written)) {
                        blob = blobs.put(in);
                    }
                    lifecycle.recordFetched(file.id(), file.generation(), blob, format);
                    log.atInfo().addKeyValue("file_id", file.id()).addKeyValue("bytes", blob.size())
                            .addKeyValue("format", format.orElse("unknown")).log("file fetched from source");
                    return files.find(file.id()).orElseThrow(() -> new PipelineFailure("The file was deleted", false));
                }
                case SourceContent.Result.Failed f -> throw new PipelineFailure(f.message(), f.retryable());
                case SourceContent.Result.RateLimited r -> throw PipelineFailure.rateLimited(r.message(), r.delay());
            }
        } catch (IOException e) {
            throw new PipelineFailure("Could not store the file fetched from the source: " + e.getMessage(), true);
        } finally {
            if (target != null) {
                try {
                    java.nio.file.Files.deleteIfExists(target);
                } catch (IOException ignored) {
                    // a temporary file; the OS cleans its temp directory
                }
            }
        }
    }

    /** Index first, then chunks + READY in one transaction: READY always means searchable. */
    private Outcome commit(StoredFile file, List<ChunkRow> rows) {
        indexer.replace(file, rows);
        if (!lifecycle.complete(file.id(), file.generation(), rows)) {
            // Stale: the file changed or was deleted meanwhile; put the index back to the database's truth.
            files.find(file.id()).ifPresentOrElse(indexer::reindex, () -> indexer.remove(List.of(file.id())));
            return new Outcome.Stale();
        }
        log.atInfo().addKeyValue("file_id", file.id()).addKeyValue("chunks", rows.size()).log("file ready");
        return new Outcome.Finished(FileStatus.READY.name());
    }

    private Outcome failed(StoredFile file, String message, boolean retryable) {
        if (retryable && file.attempts() < MAX_ATTEMPTS) {
            lifecycle.retryLater(file.id(), file.generation(), message);
            return new Outcome.Retry(message);
        }
        lifecycle.fail(file.id(), file.generation(), message);
        log.atInfo().addKeyValue("file_id", file.id()).addKeyValue("error", message).log("file failed");
        return new Outcome.Finished(FileStatus.SYNC_ERROR.name());
    }

    private String storeParsed(String text) throws PipelineFailure {
        try {
            return blobs.put(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).key();
        } catch (IOException e) {
            throw new PipelineFailure("Could not store the parsed text: " + e.getMessage(), true);
        }
    }

    /** The customer's character limits (their own, else the organization's); -1 or unset = none. */
    private void checkCharacterLimits(StoredFile file, long characters) throws PipelineFailure {
        UserConfiguration limits = effectiveLimits(file);
        if (exceeds(limits.maxCharactersPerFile(), characters)) {
            throw new PipelineFailure("File has " + characters + " characters, more than the limit of "
                    + limits.maxCharactersPerFile().getAsInt() + " per file (max_characters_per_file)", false);
        }
        if (limits.maxCharacters().isPresent()
                && exceeds(limits.maxCharacters(), files.charactersForCustomer(file.customerId(), file.id()) + characters)) {
            throw new PipelineFailure("Storing this file would exceed the limit of " + limits.maxCharacters().getAsInt()
                    + " characters for this user (max_characters)", false);
        }
        if (limits.maxCharactersPerUpload().isPresent()) {
            long upload = file.uploadId().map(u -> files.charactersForUpload(file.customerId(), u, file.id())).orElse(0L);
            if (exceeds(limits.maxCharactersPerUpload(), upload + characters)) {
                throw new PipelineFailure("This upload would exceed the limit of " + limits.maxCharactersPerUpload().getAsInt()
                        + " characters per upload (max_characters_per_upload)", false);
            }
        }
    }

    private UserConfiguration effectiveLimits(StoredFile file) {
        UserConfiguration org = organizations.find(file.organizationId()).map(o -> o.globalUserConfig())
                .orElse(UserConfiguration.EMPTY);
        UserConfiguration own = customers.findById(file.customerId()).map(c -> c.configuration())
                .orElse(UserConfiguration.EMPTY);
        return org.overlay(own);
    }

    private static boolean exceeds(java.util.OptionalInt limit, long value) {
        return limit.isPresent() && limit.getAsInt() >= 0 && value > limit.getAsInt();
    }

    private List<ChunkRow> embed(StoredFile file, IngestOptions options, List<Chunk> chunks) throws PipelineFailure {
        String name = options.embeddingModel().orElseThrow();
        EmbeddingModel model = models.find(file.organizationId(), name)
                .orElseThrow(() -> new PipelineFailure(models.unavailableReason(file.organizationId(), name), false));
        List<String> texts = chunks.stream().map(Chunk::text).toList();
        List<float[]> vectors;
        try {
            vectors = model.embed(texts, EmbeddingModel.InputType.DOCUMENT);
        } catch (EmbeddingException e) {
            throw new PipelineFailure("Failed to generate embeddings: " + e.getMessage(), e.retryable());
        }
        if (vectors.size() != chunks.size()) throw new PipelineFailure("Mismatch between chunks and embeddings", true);
        List<ChunkRow> rows = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            rows.add(new ChunkRow(c.index(), c.text(), c.tokens(), c.metadata(), Optional.of(name), Optional.of(vectors.get(i))));
        }
        return rows;
    }

    /**
     * {@code media_type=IMAGE}: the image itself is embedded by the multimodal model, as one chunk
     * whose text is what OCR read in it ({@code use_ocr}) or else the file's name.
     */
    private List<ChunkRow> imageRows(StoredFile file, Path raw, FileFormat format) throws PipelineFailure {
        if (!format.isImage()) {
            throw new PipelineFailure("media_type IMAGE needs an image (PNG or JPG), not " + format, false);
        }
        IngestOptions options = file.options();
        String text = file.name();
        if (options.useOcr()) {
            ParsedDocument document = switch (parser.parse(raw, file.name(), format, options.parseOptions())) {
                case ParseResult.Parsed parsed -> parsed.document();
                case ParseResult.Failed failed -> throw new PipelineFailure(failed.message(), failed.retryable());
            };
            if (!document.text().isBlank()) text = document.text().strip();
        }
        lifecycle.recordParsed(file.id(), file.generation(), storeParsed(text), text.length(), format.mimeType());
        Chunk chunk = new Chunk(0, text, chunker.countTokens(text), java.util.Map.of("media_type", "IMAGE"));
        if (!options.embeds()) return withoutVectors(List.of(chunk));
        String name = options.embeddingModel().orElseThrow();
        EmbeddingModel model = models.find(file.organizationId(), name)
                .orElseThrow(() -> new PipelineFailure(models.unavailableReason(file.organizationId(), name), false));
        if (!model.embedsImages()) throw new PipelineFailure(name + " cannot embed images", false);
        float[] vector;
        try {
            vector = model.embedImage(new ImageInput(java.nio.file.Files.readAllBytes(raw), format.mimeType()));
        } catch (EmbeddingException e) {
            throw new PipelineFailure("Failed to generate embeddings: " + e.getMessage(), e.retryable());
        } catch (IOException e) {
            throw new PipelineFailure("Could not read the image from storage: " + e.getMessage(), true);
        }
        return List.of(new ChunkRow(0, text, chunk.tokens(), chunk.metadata(), Optional.of(name), Optional.of(vector)));
    }

    private static List<ChunkRow> withoutVectors(List<Chunk> chunks) {
        return chunks.stream().map(c -> new ChunkRow(c.index(), c.text(), c.tokens(), c.metadata(), Optional.empty(),
                Optional.<float[]>empty())).toList();
    }
}
