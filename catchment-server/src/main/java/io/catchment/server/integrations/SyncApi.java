package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.IngestOptions;
import io.catchment.json.Json;
import io.catchment.server.api.Pagination;
import io.catchment.server.api.Success;
import io.catchment.server.files.IngestOptionsReader;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import io.catchment.store.SortDirection;
import io.catchment.sync.ItemQuery;
import io.catchment.sync.SourceItems;
import io.catchment.sync.SyncService;
import io.catchment.sync.SyncSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Browsing and syncing a connection's items: {@code /integrations/items/sync} (+ {@code /cancel}),
 * {@code /integrations/items/list}, {@code /integrations/files/sync}, and the object stores' own
 * forms {@code /integrations/s3/files} and {@code /integrations/azure_blob_storage/files}.
 */
public final class SyncApi {
    private static final int MAX_IDS = 1000;

    private final DataSources dataSources;
    private final SyncService sync;
    private final EmbeddingModels models;

    public SyncApi(DataSources dataSources, SyncService sync, EmbeddingModels models) {
        this.dataSources = dataSources;
        this.sync = sync;
        this.models = models;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/integrations/items/sync", Access.CUSTOMER, RateTier.TIER_2, this::crawl),
                ApiRoute.post("/integrations/items/sync/cancel", Access.CUSTOMER, RateTier.TIER_2, this::cancel),
                ApiRoute.post("/integrations/items/list", Access.CUSTOMER, RateTier.UNTIERED, this::list),
                ApiRoute.post("/integrations/files/sync", Access.CUSTOMER, RateTier.TIER_2, this::syncFiles),
                ApiRoute.post("/integrations/s3/files", Access.CUSTOMER, RateTier.TIER_2, this::s3Files),
                ApiRoute.post("/integrations/azure_blob_storage/files", Access.CUSTOMER, RateTier.TIER_2, this::azureFiles),
                ApiRoute.get("/integrations/sharepoint/sites/list", Access.CUSTOMER, RateTier.UNTIERED, this::sharepointSites));
    }

    record SiteResponse(String id, Optional<String> name, String displayName, String url) {}

    record SiteList(List<SiteResponse> sites, Optional<String> nextCursor) {}

    private Object sharepointSites(Call call) {
        record Q(Optional<Long> id, Optional<String> cursor) {}
        Q q = call.query(b -> new Q(b.raw("data_source_id").isPresent()
                ? Optional.of(b.integer("data_source_id", 0, 1, Long.MAX_VALUE)) : Optional.empty(), b.optionalString("cursor")));
        DataSource ds = q.id().map(id -> syncable(call, id)).orElseGet(() -> {
            List<DataSource> connected = dataSources.connected(call.customer().customer().id(), DataSourceType.SHAREPOINT);
            if (connected.isEmpty()) throw ApiError.badRequest("No SharePoint data source is connected for this user");
            if (connected.size() > 1) throw ApiError.badRequest("Several SharePoint data sources are connected: give data_source_id");
            return connected.getFirst();
        });
        if (ds.type() != DataSourceType.SHAREPOINT) throw ApiError.badRequest("Data source " + ds.id() + " is not SHAREPOINT");
        try {
            var page = sync.sites(ds, q.cursor()).orElseThrow(() -> ApiError.badRequest("Sites cannot be listed for " + ds.type()));
            return new SiteList(page.sites().stream().map(s -> new SiteResponse(s.id(), s.name(), s.displayName(), s.url())).toList(),
                    page.cursor());
        } catch (io.catchment.http.SyncFailure e) {
            int status = switch (e) {
                case io.catchment.http.SyncFailure.Auth a -> 400;
                case io.catchment.http.SyncFailure.Config c -> 400;
                case io.catchment.http.SyncFailure.RateLimited r -> 503;
                case io.catchment.http.SyncFailure.Transient t -> 502;
            };
            throw new ApiError(status, "SharePoint did not list the sites: " + e.getMessage());
        }
    }

    private Object crawl(Call call) {
        DataSource ds = syncable(call, call.body(SyncApi::requiredId));
        sync.crawl(ds);
        DataSource now = dataSources.find(ds.id()).orElseThrow();
        return DataSourceResponse.of(now, supplied(call), Optional.of(DataSourceResponse.SyncProgress.of(sync.fileCounts(now))));
    }

    private Object cancel(Call call) {
        DataSource ds = syncable(call, call.body(SyncApi::requiredId));
        sync.cancel(ds);
        return DataSourceResponse.of(dataSources.find(ds.id()).orElseThrow(), supplied(call));
    }

    record ItemList(List<SourceItemResponse> items, long count) {}

    private Object list(Call call) {
        ItemQuery q = call.body(b -> {
            long id = requiredId(b);
            record F(List<String> externalIds, List<Long> ids, Optional<String> name, boolean rootOnly,
                     List<String> formats, List<String> types) {}
            F f = b.nullableObject("filters", r -> new F(r.optionalStringList("external_ids", MAX_IDS).orElse(List.of()),
                    r.optionalLongList("ids").orElse(List.of()), r.optionalString("name"), r.bool("root_files_only", false),
                    r.optionalStringList("file_formats", 100).orElse(List.of()),
                    r.optionalStringList("item_types", 100).orElse(List.of())),
                    new F(List.of(), List.of(), Optional.empty(), false, List.of(), List.of()));
            return new ItemQuery(id, b.optionalString("parent_id"), f.externalIds(), f.ids(), f.name(), f.rootOnly(),
                    f.formats(), f.types(), b.enumValue("order_by", ItemQuery.Order.class, ItemQuery.Order.NAME),
                    b.enumValue("order_dir", SortDirection.class, SortDirection.ASC), Pagination.field(b));
        });
        DataSource ds = own(call, q.dataSourceId());
        SourceItems.ItemPage page = sync.items(q);
        String supplied = supplied(call);
        return new ItemList(page.items().stream().map(i -> SourceItemResponse.of(i, ds, supplied)).toList(), page.count());
    }

    /** The body of every sync request: the data source, what to sync (read by {@code ids}), and how. */
    private record SyncRequest(long dataSourceId, List<String> externalIds, SyncSettings settings) {}

    private interface IdsReader {
        List<String> read(BodyReader b);
    }

    private Object syncFiles(Call call) {
        return syncWith(call, b -> {
            Optional<JsonNode> raw = b.raw("ids");
            if (raw.isEmpty()) return b.problem("ids", "Field required", "missing", Json.object(), List.of());
            if (!raw.get().isArray() || raw.get().isEmpty()) {
                return b.problem("ids", "Input should be a non-empty list of ids or of {id, root_id}", "list_type", raw.get(), List.of());
            }
            if (raw.get().size() > MAX_IDS) return b.problem("ids", "List should have at most " + MAX_IDS + " items", "too_long",
                    Json.tree(raw.get().size()), List.of());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < raw.get().size(); i++) {
                JsonNode e = raw.get().get(i);
                if (e.isTextual() && !e.asText().isBlank()) ids.add(e.asText());
                else if (e.isObject() && e.path("id").isTextual()) ids.add(e.get("id").asText());
                else b.problemAt(List.of("ids", i), "Input should be a string or an object with id and root_id", "string_type", e, null);
            }
            return ids;
        });
    }

    private Object s3Files(Call call) {
        return syncWith(call, b -> storageIds(b, "bucket", true));
    }

    private Object azureFiles(Call call) {
        return syncWith(call, b -> storageIds(b, "container", false));
    }

    /**
     * {@code ids: [{id, bucket, prefix}]} (S3) or {@code [{id, container}]} (Azure): a bucket, a
     * prefix ending in "/" (a folder), or a key, as the external id {@code bucket/key}.
     */
    private static List<String> storageIds(BodyReader b, String containerField, boolean prefixes) {
        Optional<JsonNode> raw = b.raw("ids");
        if (raw.isEmpty() || !raw.get().isArray() || raw.get().isEmpty()) {
            return b.problem("ids", "Input should be a non-empty list", "list_type", raw.orElse(Json.object()), List.of());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < raw.get().size(); i++) {
            JsonNode e = raw.get().get(i);
            String container = e.path(containerField).asText("");
            String key = e.path("id").asText("");
            if (prefixes && key.isEmpty()) key = e.path("prefix").asText("");
            if (container.isEmpty()) {
                if (key.isEmpty()) {
                    b.problemAt(List.of("ids", i), "Give " + containerField + " (and id" + (prefixes ? " or prefix" : "")
                            + " for a key)", "missing", e, null);
                    continue;
                }
                ids.add(key); // already a full external id
            } else {
                ids.add(key.isEmpty() ? container : container + "/" + key);
            }
        }
        return ids;
    }

    private Object syncWith(Call call, IdsReader idsReader) {
        record Read(DataSource ds, SyncRequest request) {}
        Read read = call.body(b -> {
            long id = requiredId(b);
            // The connection's settings fill what the request leaves out, so the data source comes first.
            DataSource ds = id > 0 ? syncable(call, id) : null;
            if (ds != null) b.withDefaults(ds.syncSettings());
            List<String> ids = idsReader.read(b);
            IngestOptions options = IngestOptionsReader.read(b, models);
            ObjectNode tags = b.raw("tags").filter(JsonNode::isObject).map(t -> (ObjectNode) t.deepCopy()).orElse(Json.object());
            return new Read(ds, new SyncRequest(id, ids, new SyncSettings(options, tags, b.optionalString("request_id"),
                    b.bool("incremental_sync", false))));
        });
        SyncRequest req = read.request();
        IngestOptionsReader.requireServable(req.settings().options(), models, call.customer().organizationId());
        sync.syncItems(read.ds(), new LinkedHashSet<>(req.externalIds()), req.settings());
        return Success.OK;
    }

    /** data_source_id, required (a 422 "Field required" when missing). */
    static long requiredId(BodyReader b) {
        if (b.raw("data_source_id").isEmpty()) return b.problem("data_source_id", "Field required", "missing", Json.object(), 0L);
        return b.integer("data_source_id", 0, 1, Long.MAX_VALUE);
    }

    private DataSource own(Call call, long id) {
        return dataSources.findForCustomer(call.customer().customer().id(), id)
                .orElseThrow(() -> ApiError.notFound("Data source not found: no data source " + id + " for this user"));
    }

    private DataSource syncable(Call call, long id) {
        DataSource ds = own(call, id);
        if (!sync.supports(ds)) {
            throw ApiError.badRequest("Syncing items is not available for " + ds.type() + " data sources on this server");
        }
        if (ds.revokedAccess()) throw ApiError.badRequest("Access to data source " + id + " was revoked; connect the account again");
        return ds;
    }

    private static String supplied(Call call) {
        return call.customer().customer().suppliedId();
    }
}
