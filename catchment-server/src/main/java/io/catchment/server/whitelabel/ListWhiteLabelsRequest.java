package io.catchment.server.whitelabel;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.json.Json;
import io.catchment.oauth.OAuthService;
import io.catchment.server.api.Pagination;
import io.catchment.server.http.BodyReader;
import io.catchment.store.SortDirection;
import io.catchment.whitelabel.WhiteLabelQuery;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads Carbon's {@code ListWhiteLabelRequest}: {@code pagination}, {@code order_by}
 * ({@code created_at} | {@code data_source_type}, default created_at), {@code order_dir} (default
 * asc), {@code filters: {ids, data_source_type}} where an empty or null list filters nothing.
 */
final class ListWhiteLabelsRequest {
    /** Filter lists are bound as SQL parameters; PostgreSQL takes at most 65535 per statement. */
    static final int MAX_FILTER_ITEMS = 1000;

    private ListWhiteLabelsRequest() {}

    private record Filters(List<Long> ids, List<OAuthService> services) {
        static final Filters NONE = new Filters(List.of(), List.of());
    }

    static WhiteLabelQuery read(BodyReader b) {
        var page = Pagination.field(b);
        var orderBy = b.enumValue("order_by", WhiteLabelQuery.OrderBy.class, WhiteLabelQuery.OrderBy.CREATED_AT);
        var direction = b.enumValue("order_dir", SortDirection.class, SortDirection.ASC);
        Filters filters = b.nullableObject("filters", ListWhiteLabelsRequest::filters, Filters.NONE);
        return new WhiteLabelQuery(filters.ids(), filters.services(), orderBy, direction, page);
    }

    private static Filters filters(BodyReader b) {
        List<Long> ids = b.optionalLongList("ids").orElse(List.of());
        if (ids.size() > MAX_FILTER_ITEMS) tooLong(b, "ids", ids.size());
        List<OAuthService> services = new ArrayList<>();
        b.raw("data_source_type").ifPresent(v -> {
            if (!v.isArray()) {
                b.problem("data_source_type", "Input should be a valid list", "list_type", v, null);
                return;
            }
            if (v.size() > MAX_FILTER_ITEMS) {
                tooLong(b, "data_source_type", v.size());
                return;
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode e = v.get(i);
                OAuthService service = e.isTextual() ? named(e.textValue()) : null;
                if (service == null) b.problemAt(List.of("data_source_type", i), ENUM_MESSAGE, "enum", e, null);
                else services.add(service);
            }
        });
        return new Filters(ids, services);
    }

    private static void tooLong(BodyReader b, String field, int size) {
        b.problem(field, "List should have at most " + MAX_FILTER_ITEMS + " items after validation, not " + size,
                "too_long", Json.tree(size), null);
    }

    private static OAuthService named(String name) {
        for (OAuthService s : OAuthService.values()) if (s.name().equals(name)) return s;
        return null;
    }

    /** pydantic's enum message: "Input should be 'A', 'B' or 'C'". */
    static final String ENUM_MESSAGE;

    static {
        List<String> names = Arrays.stream(OAuthService.values()).map(s -> "'" + s.name() + "'").toList();
        ENUM_MESSAGE = "Input should be " + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }
}
