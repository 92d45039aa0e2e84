package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSourcePage;
import io.catchment.datasource.DataSourceQuery;
import io.catchment.datasource.DataSources;
import io.catchment.files.TagFilter;
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
import io.catchment.store.SortDirection;
import io.catchment.tenancy.Customers;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import io.catchment.files.FileStatus;

/**
 * {@code /user_data_sources} (one customer's), {@code /data_sources} (the organization's),
 * {@code /revoke_access_token}, {@code /data_sources/tags/add} and {@code /data_sources/tags/remove}.
 */
public final class DataSourcesApi {
    private final DataSources dataSources;
    private final Customers customers;
    private final Revocations revocations;
    private final Function<DataSource, Map<FileStatus, Long>> fileCounts;

    /** @param fileCounts a data source's files by status, shown as {@code sync_progress} */
    public DataSourcesApi(DataSources dataSources, Customers customers, Revocations revocations,
                          Function<DataSource, Map<FileStatus, Long>> fileCounts) {
        this.fileCounts = fileCounts;
        this.dataSources = dataSources;
        this.customers = customers;
        this.revocations = revocations;
    }

    /** Revokes a data source's grant at its provider, best effort (the data source is revoked here anyway). */
    @FunctionalInterface
    public interface Revocations {
        void revokeAtProvider(DataSource dataSource);
    }

    record DataSourceList(List<DataSourceResponse> results, long count) {}

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/user_data_sources", Access.CUSTOMER, RateTier.UNTIERED, this::userDataSources),
                ApiRoute.post("/data_sources", Access.ORGANIZATION, RateTier.UNTIERED, this::organizationDataSources),
                ApiRoute.post("/revoke_access_token", Access.CUSTOMER, RateTier.TIER_2, this::revoke),
                ApiRoute.post("/data_sources/tags/add", Access.CUSTOMER, RateTier.TIER_2, this::addTags),
                ApiRoute.post("/data_sources/tags/remove", Access.CUSTOMER, RateTier.TIER_2, this::removeTags));
    }

    private Object userDataSources(Call call) {
        Caller.CustomerScoped caller = call.customer();
        DataSourceQuery q = call.body(b -> query(b, caller.organizationId(), OptionalLong.of(caller.customer().id())));
        DataSourcePage page = dataSources.query(q);
        String supplied = caller.customer().suppliedId();
        return new DataSourceList(page.results().stream().map(d -> response(d, supplied)).toList(), page.count());
    }

    private Object organizationDataSources(Call call) {
        long org = call.caller().organizationId();
        DataSourceQuery q = call.body(b -> query(b, org, OptionalLong.empty()));
        DataSourcePage page = dataSources.query(q);
        Map<Long, String> supplied = new HashMap<>();
        return new DataSourceList(page.results().stream().map(d -> response(d, supplied.computeIfAbsent(
                d.customerId(), id -> customers.findById(id).map(c -> c.suppliedId()).orElse("")))).toList(), page.count());
    }

    private DataSourceResponse response(DataSource d, String supplied) {
        return DataSourceResponse.of(d, supplied, Optional.of(DataSourceResponse.SyncProgress.of(fileCounts.apply(d))));
    }

    private static DataSourceQuery query(BodyReader b, long org, OptionalLong customer) {
        record Filters(Optional<DataSourceType> type, List<Long> ids, Optional<Boolean> revoked, Optional<TagFilter> tags) {}
        Filters filters = b.nullableObject("filters", f -> new Filters(
                f.raw("source").isPresent() ? Optional.of(f.enumValue("source", DataSourceType.class, DataSourceType.TEXT))
                        : Optional.empty(),
                f.optionalLongList("ids").orElse(List.of()),
                f.raw("revoked_access").isPresent() ? Optional.of(f.bool("revoked_access", false)) : Optional.empty(),
                FileFiltersReader.tagFilter(f, "tags")),
                new Filters(Optional.empty(), List.of(), Optional.empty(), Optional.empty()));
        return new DataSourceQuery(org, customer, filters.type(), filters.ids(), filters.revoked(), filters.tags(),
                // Carbon's defaults (OrganizationUserDataSourceQueryInput): updated_at, ascending.
                b.enumValue("order_by", DataSourceQuery.OrderBy.class, DataSourceQuery.OrderBy.UPDATED_AT),
                b.enumValue("order_dir", SortDirection.class, SortDirection.ASC), Pagination.field(b));
    }

    /** data_source_id, required (a 422 "Field required" when missing). */
    private static long requiredId(BodyReader b) {
        if (b.raw("data_source_id").isEmpty()) return b.problem("data_source_id", "Field required", "missing",
                io.catchment.json.Json.object(), 0L);
        return b.integer("data_source_id", 0, 1, Long.MAX_VALUE);
    }

    private DataSource own(Caller.CustomerScoped caller, long id) {
        return dataSources.findForCustomer(caller.customer().id(), id)
                .orElseThrow(() -> ApiError.notFound("Data source not found: no data source " + id + " for this user"));
    }

    private Object revoke(Call call) {
        long id = call.body(DataSourcesApi::requiredId);
        DataSource ds = own(call.customer(), id);
        if (!ds.revokedAccess()) revocations.revokeAtProvider(ds);
        dataSources.revoke(id);
        return Success.OK;
    }

    private Object addTags(Call call) {
        record Req(long id, ObjectNode tags) {}
        Req req = call.body(b -> new Req(requiredId(b), b.requiredObjectNode("tags")));
        own(call.customer(), req.id());
        DataSource updated = dataSources.addTags(req.id(), req.tags()).orElseThrow();
        return DataSourceResponse.of(updated, call.customer().customer().suppliedId());
    }

    private Object removeTags(Call call) {
        record Req(long id, List<String> keys, boolean all) {}
        Req req = call.body(b -> new Req(requiredId(b),
                b.optionalStringList("tags_to_remove", 1000).orElse(List.of()), b.bool("remove_all_tags", false)));
        own(call.customer(), req.id());
        DataSource updated = dataSources.removeTags(req.id(), req.keys(), req.all()).orElseThrow();
        return DataSourceResponse.of(updated, call.customer().customer().suppliedId());
    }
}
