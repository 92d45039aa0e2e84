package io.catchment.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.blob.BlobStore;
import io.catchment.blob.FileSystemBlobStore;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.FileLifecycle;
import io.catchment.files.FileStatus;
import io.catchment.files.FileStore;
import io.catchment.files.IngestOptions;
import io.catchment.files.MediaType;
import io.catchment.files.NewFile;
import io.catchment.files.StoredFile;
import io.catchment.ingest.chunk.TokenChunker;
import io.catchment.ingest.parse.DocumentParser;
import io.catchment.ingest.parse.ParseOptions;
import io.catchment.ingest.parse.ParseResult;
import io.catchment.ingest.parse.TikaDocumentParser;
import io.catchment.json.Json;
import io.catchment.search.LuceneChunkIndex;
import io.catchment.store.Database;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organizations;
import io.catchment.testing.time.MutableClock;
import io.catchment.testsupport.DatabaseKind;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline's state machine on both databases, driven directly (no scheduler): retries of
 * transient failures, the attempt limit, stale generations, and re-runs after READY.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class IngestionPipelineTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    Database db;
    LuceneChunkIndex index;
    FileStore files;
    FileLifecycle lifecycle;
    BlobStore blobs;
    long org;
    long customer;

    /** Tika, except that the first {@code failures} parses fail as a flaky disk would (retryable). */
    static final class FlakyParser implements DocumentParser {
        final DocumentParser real = new TikaDocumentParser();
        final AtomicInteger failuresLeft;
        final AtomicInteger calls = new AtomicInteger();

        FlakyParser(int failures) {
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public ParseResult parse(Path file, String fileName, FileFormat format, ParseOptions options) {
            calls.incrementAndGet();
            if (failuresLeft.getAndDecrement() > 0) return new ParseResult.Failed("disk hiccup", true);
            return real.parse(file, fileName, format, options);
        }

        @Override
        public OcrStatus ocr() {
            return real.ocr();
        }
    }

    @BeforeEach
    void open() throws Exception {
        MutableClock clock = MutableClock.startingNow();
        db = Database.open(kind.settings(dir));
        index = new LuceneChunkIndex(dir.resolve("index"));
        files = new FileStore(db, clock);
        lifecycle = new FileLifecycle(db.jdbi(), clock);
        blobs = new FileSystemBlobStore(dir.resolve("blobs"));
        var organizations = new Organizations(db.jdbi(), clock);
        org = organizations.create("Acme").id();
        customer = new Customers(db.jdbi(), clock).resolve(org, "alice").id();
    }

    @AfterEach
    void close() {
        index.close();
        db.close();
    }

    IngestionPipeline pipeline(DocumentParser parser) {
        var clock = MutableClock.startingNow();
        return new IngestionPipeline(files, lifecycle, blobs, parser, new TokenChunker(), EmbeddingModels.localOnly(),
                new Indexer(lifecycle, index), new Customers(db.jdbi(), clock), new Organizations(db.jdbi(), clock));
    }

    StoredFile newFile(String text) throws Exception {
        var blob = blobs.put(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        IngestOptions options = new IngestOptions(50, 5, false, false, Optional.of("ALL_MINILM_L6_V2"), false, false,
                false, OptionalInt.empty(), false, false, MediaType.TEXT, false, false, false, false, OptionalInt.empty());
        return files.create(new NewFile(org, customer, OptionalLong.empty(), "TEXT", "ext-1", Optional.empty(), "a.txt",
                OptionalLong.empty(), Optional.of("TXT"), options, Json.object(), Json.object(), Optional.of(blob),
                Optional.empty(), Optional.empty(), Optional.empty()), FileStatus.QUEUED_FOR_SYNC);
    }

    @Test
    void transientFailuresAreRetriedUntilTheFileIsReady() throws Exception {
        StoredFile f = newFile("alpha beta gamma delta. ".repeat(40));
        FlakyParser parser = new FlakyParser(2);
        IngestionPipeline p = pipeline(parser);

        assertThat(p.process(f.id(), f.generation())).isInstanceOf(Outcome.Retry.class);
        assertThat(files.find(f.id()).orElseThrow().status()).isEqualTo(FileStatus.QUEUED_FOR_SYNC);
        assertThat(files.find(f.id()).orElseThrow().syncErrorMessage()).contains("disk hiccup");
        assertThat(p.process(f.id(), f.generation())).isInstanceOf(Outcome.Retry.class);
        assertThat(p.process(f.id(), f.generation())).isEqualTo(new Outcome.Finished("READY"));

        StoredFile ready = files.find(f.id()).orElseThrow();
        assertThat(ready.attempts()).isEqualTo(3);
        assertThat(ready.syncErrorMessage()).isEmpty();
        assertThat(index.countForFile(f.id())).isEqualTo(lifecycle.chunks(f.id()).size()).isPositive();
    }

    @Test
    void afterThreeAttemptsTheFileFailsWithTheReason() throws Exception {
        StoredFile f = newFile("some words");
        IngestionPipeline p = pipeline(new FlakyParser(10));
        for (int i = 0; i < 2; i++) assertThat(p.process(f.id(), f.generation())).isInstanceOf(Outcome.Retry.class);
        assertThat(p.process(f.id(), f.generation())).isEqualTo(new Outcome.Finished("SYNC_ERROR"));
        StoredFile failed = files.find(f.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(FileStatus.SYNC_ERROR);
        assertThat(failed.syncErrorMessage()).contains("disk hiccup");
        assertThat(p.process(f.id(), f.generation())).as("a final file is not processed again").isInstanceOf(Outcome.Stale.class);
    }

    @Test
    void workForAnOldGenerationIsDroppedAndRerunsAreHarmless() throws Exception {
        StoredFile f = newFile("one two three four five six seven eight nine ten. ".repeat(30));
        IngestionPipeline p = pipeline(new FlakyParser(0));
        StoredFile requeued = lifecycle.requeue(f.id(), f.options().withChunking(20, 0), Optional.empty(), FileStatus.QUEUED_FOR_SYNC);
        assertThat(p.process(f.id(), f.generation())).as("generation 1 is outdated").isInstanceOf(Outcome.Stale.class);
        assertThat(p.process(f.id(), requeued.generation())).isEqualTo(new Outcome.Finished("READY"));
        int chunks = lifecycle.chunks(f.id()).size();
        assertThat(p.process(f.id(), requeued.generation())).as("re-run after READY").isInstanceOf(Outcome.Stale.class);
        assertThat(lifecycle.chunks(f.id())).hasSize(chunks);
        assertThat(index.countForFile(f.id())).isEqualTo(chunks);
    }

    @Test
    void unsupportedContentFailsAtOnceWithCarbonsMessage() throws Exception {
        StoredFile f = newFile("   \n  ");
        assertThat(pipeline(new FlakyParser(0)).process(f.id(), f.generation())).isEqualTo(new Outcome.Finished("SYNC_ERROR"));
        assertThat(files.find(f.id()).orElseThrow().syncErrorMessage()).contains("No text was retrieved from file");
        assertThat(files.find(f.id()).orElseThrow().attempts()).isEqualTo(1);
    }
}
