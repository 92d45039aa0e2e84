package io.catchment.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import io.catchment.files.FileFilters;
import io.catchment.files.FileStore;
import io.catchment.files.UsageStore;
import io.catchment.ingest.Ingestion;
import io.catchment.store.SortDirection;
import io.catchment.tenancy.CustomerPage;
import io.catchment.tenancy.CustomerQuery;
import io.catchment.tenancy.Customers;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.Organizations;
import io.catchment.tenancy.UserConfiguration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/** Customers ("users" in Carbon's API): look up, list, configure, delete. */
public final class UsersApi {
    /** Carbon caps {@code customer_ids} at 100 on {@code /update_users}; we apply it to deletes as well. */
    static final int MAX_CUSTOMER_IDS = 100;

    private final Customers customers;
    private final Organizations organizations;
    private final UsageStore usage;

    private final FileStore files;
    private final Ingestion ingestion;

    public UsersApi(Customers customers, Organizations organizations, UsageStore usage, FileStore files,
                    Ingestion ingestion) {
        this.customers = customers;
        this.organizations = organizations;
        this.usage = usage;
        this.files = files;
        this.ingestion = ingestion;
    }

    record UserRequest(String customerId) {}

    record ListUsersRequest(CustomerQuery query) {
        static ListUsersRequest read(BodyReader b) {
            ListFilters filters = b.object("filters", ListFilters::read, ListFilters.NONE);
            return new ListUsersRequest(new CustomerQuery(filters.customerIds(), filters.carbonUserIds(),
                    b.enumValue("order_by", CustomerQuery.OrderBy.class, CustomerQuery.OrderBy.CREATED_AT),
                    b.enumValue("order_dir", SortDirection.class, SortDirection.DESC),
                    Pagination.field(b),
                    b.bool("include_count", false)));
        }
    }

    record ListFilters(List<String> customerIds, List<Long> carbonUserIds) {
        static final ListFilters NONE = new ListFilters(List.of(), List.of());

        static ListFilters read(BodyReader b) {
            return new ListFilters(b.optionalStringList("customer_ids", Integer.MAX_VALUE).orElse(List.of()),
                    b.optionalLongList("carbon_user_ids").orElse(List.of()));
        }
    }

    record UserListResponse(List<ListUserResponse> users, OptionalLong count) {}

    record UpdateUsersRequest(List<String> customerIds, UserConfiguration configuration) {}

    record ModifyUserConfigurationRequest(String key, ObjectNode value) {}

    enum ConfigurationKey { sparse_vectors }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/whoami", Access.CUSTOMER, RateTier.UNTIERED, this::whoami),
                ApiRoute.post("/user", Access.ORGANIZATION, RateTier.TIER_1, this::user),
                ApiRoute.post("/list_users", Access.ORGANIZATION, RateTier.UNTIERED, this::listUsers),
                ApiRoute.post("/delete_users", Access.ORGANIZATION, RateTier.TIER_2, this::deleteUsers),
                ApiRoute.post("/update_users", Access.ORGANIZATION, RateTier.TIER_2, this::updateUsers),
                ApiRoute.post("/modify_user_configuration", Access.CUSTOMER, RateTier.TIER_2, this::modifyConfiguration));
    }

    private Object whoami(Call call) {
        var caller = call.customer();
        return UserResponse.of(caller.customer(), organization(caller.organizationId()), usage.ofCustomer(caller.customer().id()));
    }

    private Object user(Call call) {
        UserRequest request = call.body(b -> new UserRequest(b.requiredString("customer_id")));
        long org = call.caller().organizationId();
        return customers.find(org, request.customerId())
                .map(c -> UserResponse.of(c, organization(org), usage.ofCustomer(c.id())))
                .orElseThrow(() -> ApiError.notFound("User not found: no customer '" + request.customerId()
                        + "' in this organization"));
    }

    private Object listUsers(Call call) {
        ListUsersRequest request = call.body(ListUsersRequest::read);
        long org = call.caller().organizationId();
        Organization organization = organization(org);
        CustomerPage page = customers.list(org, request.query());
        return new UserListResponse(page.customers().stream().map(c -> ListUserResponse.of(c, organization)).toList(),
                page.count());
    }

    private Object deleteUsers(Call call) {
        List<String> ids = call.body(b -> b.requiredStringList("customer_ids", MAX_CUSTOMER_IDS));
        long org = call.caller().organizationId();
        requireAll(org, ids);
        // Their files go first, with everything derived from them (index entries, stored content).
        for (String id : ids) {
            customers.find(org, id).ifPresent(c -> ingestion.delete(files.matching(c.id(), FileFilters.NONE), false));
        }
        customers.delete(org, ids);
        return Success.OK;
    }

    private Object updateUsers(Call call) {
        UpdateUsersRequest request = call.body(b -> new UpdateUsersRequest(
                b.requiredStringList("customer_ids", MAX_CUSTOMER_IDS), UserConfigurationReader.read(b)));
        long org = call.caller().organizationId();
        requireAll(org, request.customerIds());
        customers.updateConfiguration(org, request.customerIds(), request.configuration());
        return Success.OK;
    }

    private Object modifyConfiguration(Call call) {
        ModifyUserConfigurationRequest request = call.body(b -> {
            ConfigurationKey key = b.requiredEnum("configuration_key_name", ConfigurationKey.class);
            return new ModifyUserConfigurationRequest(key.name(), b.requiredObjectNode("value"));
        });
        customers.setFeature(call.customer().customer().id(), request.key(), request.value());
        return Success.OK;
    }

    /** All-or-nothing: a request naming an unknown customer changes nothing. */
    private void requireAll(long org, List<String> ids) {
        Set<String> missing = customers.missing(org, ids);
        if (!missing.isEmpty()) {
            throw ApiError.notFound("Users not found in this organization: " + String.join(", ", missing));
        }
    }

    private Organization organization(long id) {
        return organizations.find(id).orElseThrow(() -> new IllegalStateException("organization " + id + " vanished"));
    }
}
