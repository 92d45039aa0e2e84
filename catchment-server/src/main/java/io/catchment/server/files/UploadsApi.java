package io.catchment.server.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.blob.BlobStore.StoredBlob;
import io.catchment.files.IngestOptions;
import io.catchment.files.NewFile;
import io.catchment.files.StoredFile;
import io.catchment.ingest.FileFormat;
import io.catchment.ingest.FormatSniffer;
import io.catchment.ingest.fetch.FetchResult;
import io.catchment.ingest.fetch.SafeUrlFetcher;
import io.catchment.json.Json;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.RateTier;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/** {@code /uploadfile}, {@code /upload_text}, {@code /upload_file_from_url}. */
public final class UploadsApi {
    private final FileContext fc;
    private final SafeUrlFetcher fetcher;

    UploadsApi(FileContext fc, SafeUrlFetcher fetcher) {
        this.fc = fc;
        this.fetcher = fetcher;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/uploadfile", Access.CUSTOMER, RateTier.TIER_3, this::uploadFile),
                ApiRoute.post("/upload_text", Access.CUSTOMER, RateTier.TIER_3, this::uploadText),
                ApiRoute.post("/upload_file_from_url", Access.CUSTOMER, RateTier.TIER_3, this::uploadFromUrl));
    }

    private Object uploadFile(Call call) throws IOException {
        IngestOptions options = call.query(b -> IngestOptionsReader.read(b, fc.models()));
        IngestOptionsReader.requireServable(options, fc.models(), call.customer().organizationId());
        long declared = call.ctx().req().getContentLengthLong();
        if (declared > fc.maxUploadBytes() + 64 * 1024) throw call.tooLarge(tooLarge().detail());
        UploadedFile upload = uploaded(call);
        String name = upload.filename() == null || upload.filename().isBlank() ? "upload" : upload.filename();
        StoredBlob blob;
        try (InputStream in = upload.content()) {
            blob = fc.blobs().put(in);
        }
        if (blob.size() > fc.maxUploadBytes()) throw tooLarge();
        // No known extension (the SDK names a Buffer "file"): recognise the bytes instead.
        FileFormat format = FileFormat.fromFileName(name)
                .or(() -> fc.blobs().path(blob.key()).flatMap(FormatSniffer::sniff))
                .orElseThrow(() -> unsupported(name));
        return accept(call, name, format, options, blob, Optional.empty(), Optional.empty());
    }

    private Object uploadText(Call call) throws IOException {
        record TextUpload(String contents, Optional<String> name, Optional<Long> overwrite, IngestOptions options) {}
        TextUpload req = call.body(b -> new TextUpload(b.requiredString("contents"), b.optionalString("name"),
                b.raw("overwrite_file_id").map(v -> b.integer("overwrite_file_id", 0, 1, Long.MAX_VALUE)),
                IngestOptionsReader.read(b, fc.models())));
        IngestOptionsReader.requireServable(req.options(), fc.models(), call.customer().organizationId());
        byte[] bytes = req.contents().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > fc.maxUploadBytes()) throw tooLarge();
        if (req.contents().isBlank()) throw ApiError.badRequest("contents is empty: there is no text to ingest");
        Caller.CustomerScoped caller = call.customer();
        if (req.overwrite().isPresent()) {
            StoredFile existing = fc.ownFile(caller, req.overwrite().get());
            StoredBlob blob = fc.blobs().put(new ByteArrayInputStream(bytes));
            return fc.response(call.ctx(), caller, fc.ingestion().overwrite(existing, blob, req.options()), true);
        }
        String name = req.name().filter(n -> !n.isBlank()).orElse("Untitled text");
        StoredBlob blob = fc.blobs().put(new ByteArrayInputStream(bytes));
        return accept(call, name, FileFormat.TXT, req.options(), blob, Optional.of("RAW_TEXT"), Optional.empty());
    }

    private Object uploadFromUrl(Call call) throws IOException {
        record UrlUpload(String url, Optional<String> fileName, IngestOptions options) {}
        UrlUpload req = call.body(b -> new UrlUpload(b.requiredString("url"), b.optionalString("file_name"),
                IngestOptionsReader.read(b, fc.models())));
        IngestOptionsReader.requireServable(req.options(), fc.models(), call.customer().organizationId());
        Path tmp = Files.createTempFile("catchment-url-", ".download");
        try {
            FetchResult.Fetched fetched = switch (fetcher.fetch(req.url(), tmp)) {
                case FetchResult.Fetched f -> f;
                case FetchResult.Refused r -> throw ApiError.badRequest(r.reason());
                case FetchResult.Failed f -> throw ApiError.badRequest("Could not download " + req.url() + ": " + f.reason());
            };
            String name = req.fileName().filter(n -> !n.isBlank()).orElse(fetched.fileName());
            FileFormat format = FileFormat.fromFileName(name)
                    .or(() -> fetched.contentType().flatMap(FormatSniffer::fromMimeType))
                    .or(() -> FormatSniffer.sniff(tmp))
                    .orElseThrow(() -> unsupported(name));
            StoredBlob blob;
            try (InputStream in = Files.newInputStream(tmp)) {
                blob = fc.blobs().put(in);
            }
            return accept(call, name, format, req.options(), blob, Optional.empty(), Optional.of(req.url()));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private UserFileResponse accept(Call call, String name, FileFormat format, IngestOptions options, StoredBlob blob,
                                    Optional<String> source, Optional<String> url) {
        Caller.CustomerScoped caller = call.customer();
        ObjectNode metadata = Json.object();
        NewFile file = new NewFile(caller.organizationId(), caller.customer().id(), OptionalLong.empty(),
                source.orElse(format.sourceType()), UUID.randomUUID().toString(), url, name, OptionalLong.empty(),
                Optional.of(format.name()), options, Json.object(), metadata, Optional.of(blob), Optional.empty(),
                Optional.of(UUID.randomUUID().toString()), Optional.empty());
        StoredFile stored = fc.accepted(fc.ingestion().submit(file, fc.limits(caller), 1), Optional.of(blob.key()));
        return fc.response(call.ctx(), caller, stored, true);
    }

    private UploadedFile uploaded(Call call) {
        // An empty body has no parts; answering before Jetty's multipart parser fails on it keeps
        // the connection usable (Jetty closes a connection after a parse failure).
        UploadedFile file = call.ctx().req().getContentLengthLong() == 0 ? null : parsePart(call);
        if (file == null) {
            throw new io.catchment.server.http.ValidationFailed(List.of(new io.catchment.server.http.Problem(
                    List.of("body", "file"), "Field required (send the file as multipart form field 'file', with a file name)",
                    "missing", Json.object())));
        }
        return file;
    }

    /** The 'file' part, or null when the body has none or cannot be read as multipart. */
    private UploadedFile parsePart(Call call) {
        try {
            return call.ctx().uploadedFile("file");
        } catch (Exception e) { // Jetty reports a malformed or truncated multipart body as a ServletException
            StringBuilder chain = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) chain.append(t.getMessage()).append(' ');
            String text = chain.toString().toLowerCase(java.util.Locale.ROOT);
            if (text.contains("exceed") || text.contains("too large")) throw tooLarge();
            return null;
        }
    }

    private static ApiError unsupported(String name) {
        return ApiError.badRequest("Unsupported file type for '" + name + "': supported extensions are "
                + String.join(", ", Arrays.stream(FileFormat.values()).map(f -> "." + f.name().toLowerCase()).toList()));
    }

    private ApiError tooLarge() {
        return new ApiError(413, "File too large: the upload limit is " + fc.maxUploadBytes() + " bytes");
    }
}
