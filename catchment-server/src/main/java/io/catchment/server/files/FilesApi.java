package io.catchment.server.files;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.FileFilters;
import io.catchment.files.FileQuery;
import io.catchment.files.FilePage;
import io.catchment.files.FileStatus;
import io.catchment.files.IngestOptions;
import io.catchment.files.StoredFile;
import io.catchment.files.Tags;
import io.catchment.ingest.fetch.SafeUrlFetcher;
import io.catchment.json.Json;
import io.catchment.server.api.Success;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.HttpApp;
import io.catchment.server.http.RateTier;
import io.catchment.store.Page;
import io.catchment.store.SortDirection;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Listing, tagging, deleting and resyncing files, and their signed download links. */
public final class FilesApi {
    private final FileContext fc;
    private final UploadsApi uploads;

    public FilesApi(FileContext fc, SafeUrlFetcher fetcher) {
        this.fc = fc;
        this.uploads = new UploadsApi(fc, fetcher);
    }

    record ListRequest(FileQuery query, boolean rawLinks, boolean parsedLinks, Duration linkTtl) {
        static ListRequest read(BodyReader b) {
            FileFilters filters = FileFiltersReader.field(b);
            FileQuery query = new FileQuery(filters,
                    b.enumValue("order_by", FileQuery.OrderBy.class, FileQuery.OrderBy.UPDATED_AT),
                    b.enumValue("order_dir", SortDirection.class, SortDirection.ASC),
                    b.object("pagination", io.catchment.server.api.Pagination::read, Page.DEFAULT));
            return new ListRequest(query, b.bool("include_raw_file", false), b.bool("include_parsed_text_file", false),
                    Duration.ofSeconds(b.integer("presigned_url_expiry_time_seconds", 3600, 1, 7 * 24 * 3600)));
        }
    }

    record UserFilesV2(List<UserFileResponse> results, long count) {}

    record PresignedUrl(String presignedUrl) {}

    public List<ApiRoute> routes() {
        List<ApiRoute> routes = new ArrayList<>(uploads.routes());
        routes.addAll(List.of(
                ApiRoute.post("/user_files_v2", Access.CUSTOMER, RateTier.TIER_3, call -> {
                    Listed l = list(call);
                    return new UserFilesV2(l.results(), l.page().count());
                }),
                ApiRoute.post("/user_files", Access.CUSTOMER, RateTier.TIER_3, call -> list(call).results()),
                ApiRoute.post("/delete_files_v2", Access.CUSTOMER, RateTier.TIER_3, this::deleteV2),
                ApiRoute.post("/delete_files", Access.CUSTOMER, RateTier.TIER_3, this::deleteV1),
                ApiRoute.post("/resync_file", Access.CUSTOMER, RateTier.TIER_3, this::resync),
                ApiRoute.post("/create_user_file_tags", Access.CUSTOMER, RateTier.TIER_3, this::createTags),
                ApiRoute.post("/delete_user_file_tags", Access.CUSTOMER, RateTier.TIER_3, this::deleteTags),
                ApiRoute.get("/raw_file/{file_id}", Access.CUSTOMER, RateTier.TIER_3, call -> link(call, true)),
                ApiRoute.get("/parsed_file/{file_id}", Access.CUSTOMER, RateTier.TIER_3, call -> link(call, false)),
                ApiRoute.get("/files/{file_id}/raw", Access.PUBLIC, RateTier.NONE, call -> download(call, true)),
                ApiRoute.get("/files/{file_id}/parsed", Access.PUBLIC, RateTier.NONE, call -> download(call, false))));
        return routes;
    }

    private record Listed(List<UserFileResponse> results, FilePage page) {}

    private Listed list(Call call) {
        ListRequest req = call.body(ListRequest::read);
        Caller.CustomerScoped caller = call.customer();
        FilePage page = fc.files().list(caller.customer().id(), req.query());
        List<UserFileResponse> results = page.files().stream().map(f -> UserFileResponse.of(f,
                caller.customer().suppliedId(), fc.links(call.ctx(), f, req.rawLinks(), req.parsedLinks(), req.linkTtl()))).toList();
        return new Listed(results, page);
    }

    private Object deleteV2(Call call) {
        record Delete(FileFilters filters, boolean preserve, boolean announce) {}
        Delete req = call.body(b -> {
            FileFilters filters = FileFiltersReader.field(b);
            return new Delete(filters, b.bool("preserve_file_record", false), b.bool("send_webhook", false));
        });
        fc.ingestion().delete(fc.files().matching(call.customer().customer().id(), req.filters()), req.preserve(),
                req.announce());
        return Success.OK;
    }

    private Object deleteV1(Call call) {
        record Delete(List<Long> ids, List<FileStatus> statuses, boolean nonSyncedOnly, boolean children,
                      boolean announce) {}
        Delete req = call.body(b -> {
            List<Long> ids = b.optionalLongList("file_ids").orElse(List.of());
            List<FileStatus> statuses = FileFiltersReader.enums(b, "sync_statuses", FileStatus.class).stream()
                    .map(FileStatus::valueOf).toList();
            return new Delete(ids, statuses, b.bool("delete_non_synced_only", false), b.bool("delete_child_files", false),
                    b.bool("send_webhook", false));
        });
        if (req.ids().isEmpty() && req.statuses().isEmpty()) {
            throw ApiError.badRequest("Give file_ids or sync_statuses: deleting without either would delete every file");
        }
        long customer = call.customer().customer().id();
        List<StoredFile> targets = new ArrayList<>(fc.files().matching(customer,
                FileFilters.byIdsAndStatuses(req.ids(), req.statuses(), req.nonSyncedOnly())));
        if (req.children() && !req.ids().isEmpty()) {
            targets.addAll(fc.files().matching(customer, FileFilters.restriction(List.of(), req.ids(), true, Optional.empty())));
        }
        fc.ingestion().delete(targets.stream().distinct().toList(), false, req.announce());
        return Success.OK;
    }

    private Object resync(Call call) {
        record Resync(long fileId, Optional<Long> size, Optional<Long> overlap, boolean skip) {}
        Resync req = call.body(b -> {
            long id = b.integer("file_id", 0, 1, Long.MAX_VALUE);
            if (b.raw("file_id").isEmpty()) b.requiredString("file_id"); // reports "missing"
            Optional<Long> size = b.raw("chunk_size").map(v -> b.integer("chunk_size", 1500, 1, 100_000));
            Optional<Long> overlap = b.raw("chunk_overlap").map(v -> b.integer("chunk_overlap", 20, 0, 100_000));
            b.bool("force_embedding_generation", false);
            return new Resync(id, size, overlap, b.raw("skip_file_processing").isPresent() && b.bool("skip_file_processing", false));
        });
        Caller.CustomerScoped caller = call.customer();
        StoredFile file = fc.ownFile(caller, req.fileId());
        if (file.contentsDeleted() || file.rawBlob().isEmpty()) {
            throw ApiError.badRequest("File " + file.id() + " has no stored content to process again (it was deleted "
                    + "with preserve_file_record or never downloaded): upload it again");
        }
        if (file.status().isQueued()) {
            throw new ApiError(409, "File " + file.id() + " is already being processed (" + file.status() + ")");
        }
        IngestOptions o = file.options();
        int size = req.size().map(Long::intValue).orElse(o.chunkSize());
        int overlap = req.overlap().map(Long::intValue).orElse(o.chunkOverlap());
        if (overlap >= size) throw ApiError.badRequest("chunk_overlap (" + overlap + ") must be smaller than chunk_size (" + size + ")");
        IngestOptions options = o.withChunking(size, overlap).withSkipFileProcessing(req.skip());
        IngestOptionsReader.requireServable(options, fc.models(), caller.organizationId());
        return fc.response(call.ctx(), caller, fc.ingestion().resync(file, options), false);
    }

    private Object createTags(Call call) {
        record Create(long fileId, ObjectNode tags) {}
        Create req = call.body(b -> new Create(requiredId(b), b.requiredObjectNode("tags")));
        List<String> reserved = new ArrayList<>();
        req.tags().fieldNames().forEachRemaining(k -> {
            if (Tags.RESERVED.contains(k)) reserved.add(k);
        });
        if (!reserved.isEmpty()) {
            throw ApiError.badRequest("Reserved tag keys cannot be set: " + String.join(", ", reserved));
        }
        for (Map.Entry<String, JsonNode> e : req.tags().properties()) {
            JsonNode v = e.getValue();
            boolean ok = v.isValueNode() || v.isArray() && allValues(v);
            if (!ok) throw ApiError.badRequest("Tag '" + e.getKey() + "' must be a string, number, boolean or a list of them");
        }
        Caller.CustomerScoped caller = call.customer();
        StoredFile file = fc.ownFile(caller, req.fileId());
        return fc.response(call.ctx(), caller, fc.files().upsertTags(file.id(), Tags.normalise(req.tags())), false);
    }

    private Object deleteTags(Call call) {
        record Remove(long fileId, List<String> keys) {}
        Remove req = call.body(b -> new Remove(requiredId(b), b.requiredStringList("tags", 1000)));
        Caller.CustomerScoped caller = call.customer();
        StoredFile file = fc.ownFile(caller, req.fileId());
        return fc.response(call.ctx(), caller, fc.files().removeTags(file.id(), req.keys()), false);
    }

    private Object link(Call call, boolean raw) {
        StoredFile file = fc.ownFile(call.customer(), pathId(call));
        var links = fc.links(call.ctx(), file, raw, !raw, FileContext.DEFAULT_LINK_TTL);
        return new PresignedUrl((raw ? links.raw() : links.parsed()).orElseThrow(() -> ApiError.notFound(raw
                ? "File " + file.id() + " has no stored content"
                : "File " + file.id() + " has no parsed text yet (status " + file.status() + ")")));
    }

    private Object download(Call call, boolean raw) throws IOException {
        long id = pathId(call);
        String path = "/files/" + id + (raw ? "/raw" : "/parsed");
        if (!fc.signer().verify(path, call.ctx().queryParam("expires"), call.ctx().queryParam("signature"))) {
            throw ApiError.forbidden("This link is invalid or has expired: ask for a new one");
        }
        StoredFile file = fc.files().find(id).orElseThrow(() -> ApiError.notFound("File not found"));
        String key = (raw ? file.rawBlob() : file.parsedBlob())
                .orElseThrow(() -> ApiError.notFound("This file's content is no longer stored"));
        byte[] bytes;
        try (InputStream in = fc.blobs().open(key)) {
            bytes = in.readAllBytes();
        }
        String type = raw
                ? file.fileFormat().flatMap(io.catchment.ingest.FileFormat::fromFormatName)
                        .map(io.catchment.ingest.FileFormat::mimeType).orElse("application/octet-stream")
                : "text/plain; charset=utf-8";
        String name = raw ? file.name() : file.name() + ".txt";
        call.ctx().header("Content-Disposition", "inline; filename=\"" + name.replaceAll("[\"\\\\\\r\\n]", "_") + "\"");
        return new HttpApp.Raw(200, type, bytes);
    }

    private static long requiredId(BodyReader b) {
        if (b.raw("organization_user_file_id").isEmpty()) {
            b.requiredString("organization_user_file_id");
            return 0;
        }
        return b.integer("organization_user_file_id", 0, 1, Long.MAX_VALUE);
    }

    private static long pathId(Call call) {
        try {
            return Long.parseLong(call.ctx().pathParam("file_id"));
        } catch (NumberFormatException e) {
            throw new io.catchment.server.http.ValidationFailed(List.of(new io.catchment.server.http.Problem(
                    List.of("path", "file_id"), "Input should be a valid integer, unable to parse string as an integer",
                    "int_parsing", Json.tree(call.ctx().pathParam("file_id")))));
        }
    }

    private static boolean allValues(JsonNode array) {
        for (JsonNode v : array) if (!v.isValueNode() || v.isNull()) return false;
        return true;
    }
}
