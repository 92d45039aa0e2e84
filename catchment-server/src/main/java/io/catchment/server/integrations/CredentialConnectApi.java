package io.catchment.server.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.connector.DataSourceType;
import io.catchment.connector.credentials.CredentialVerifiers;
import io.catchment.connector.credentials.Verification;
import io.catchment.datasource.Credentials;
import io.catchment.datasource.DataSource;
import io.catchment.datasource.DataSources;
import io.catchment.datasource.NewConnection;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.IngestOptions;
import io.catchment.json.Json;
import io.catchment.server.api.Success;
import io.catchment.server.files.IngestOptionsReader;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.Caller;
import io.catchment.server.http.RateTier;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The credential connectors: Freshdesk, Gitbook, S3, Azure Blob Storage, GitHub, Guru, Document360
 * and RSS feeds. The credentials are checked against the provider first (a 400 says they were
 * refused; nothing is stored), then kept sealed with the data source; connecting the same account
 * again updates it.
 */
public final class CredentialConnectApi {
    /** Request fields kept as the data source's sync settings. */
    static final List<String> SYNC_SETTINGS = List.of("tags", "chunk_size", "chunk_overlap", "skip_embedding_generation",
            "embedding_model", "generate_sparse_vectors", "prepend_filename_to_chunks", "sync_files_on_connection",
            "request_id", "sync_source_items", "file_sync_config");

    private final CredentialVerifiers verifiers;
    private final DataSources dataSources;
    private final EmbeddingModels models;
    private final java.util.function.Consumer<DataSource> onConnected;

    /** @param onConnected told about every new or updated connection (the sync engine starts its crawl) */
    public CredentialConnectApi(CredentialVerifiers verifiers, DataSources dataSources, EmbeddingModels models,
                                java.util.function.Consumer<DataSource> onConnected) {
        this.onConnected = onConnected;
        this.verifiers = verifiers;
        this.dataSources = dataSources;
        this.models = models;
    }

    public List<ApiRoute> routes() {
        return List.of(
                post("/integrations/freshdesk", this::freshdesk),
                post("/integrations/gitbook", this::gitbook),
                post("/integrations/s3", this::s3),
                post("/integrations/azure_blob_storage", this::azureBlob),
                post("/integrations/github", this::github),
                post("/integrations/guru", this::guru),
                post("/integrations/document360", this::document360),
                post("/integrations/rss_feed", this::rssFeed));
    }

    private static ApiRoute post(String path, io.catchment.server.http.ApiHandler handler) {
        return ApiRoute.post(path, Access.CUSTOMER, RateTier.TIER_2, handler);
    }

    /** One connect request: the fields the service needs, plus settings and data source tags. */
    private record Request(Map<String, String> fields, ObjectNode settings, ObjectNode tags) {}

    private Request read(Call call, List<String> required, List<String> optional) {
        record Read(Request request, IngestOptions options) {}
        Read read = call.body(b -> new Read(fields(b, required, optional), IngestOptionsReader.read(b, models)));
        IngestOptionsReader.requireServable(read.options(), models, call.customer().organizationId());
        return read.request();
    }

    private static Request fields(BodyReader b, List<String> required, List<String> optional) {
        java.util.LinkedHashMap<String, String> fields = new java.util.LinkedHashMap<>();
        for (String f : required) {
            String v = b.requiredString(f);
            // requiredString reported a missing field already (and answers ""): only a given blank value is too short.
            if (v != null && v.isBlank() && b.raw(f).isPresent()) {
                b.problem(f, "String should have at least 1 character", "string_too_short", Json.tree(v), null);
            }
            if (v != null) fields.put(f, v.strip());
        }
        for (String f : optional) {
            b.optionalString(f).map(String::strip).filter(v -> !v.isEmpty()).ifPresent(v -> fields.put(f, v));
        }
        ObjectNode settings = Json.object();
        for (String name : SYNC_SETTINGS) b.raw(name).ifPresent(v -> settings.set(name, v));
        return new Request(fields, settings, dataSourceTags(b));
    }

    static ObjectNode dataSourceTags(BodyReader b) {
        Optional<JsonNode> raw = b.raw("data_source_tags");
        if (raw.isEmpty()) return Json.object();
        if (!raw.get().isObject()) return b.problem("data_source_tags", "Input should be a valid dictionary", "dict_type", raw.get(), Json.object());
        return (ObjectNode) raw.get().deepCopy();
    }

    private DataSource connect(Call call, DataSourceType type, Request r, Verification verification,
                               Function<Map<String, String>, Map<String, String>> secretsOf) {
        Caller.CustomerScoped caller = call.customer();
        return switch (verification) {
            case Verification.Verified v -> {
                ObjectNode metadata = Json.mapper().valueToTree(v.metadata());
                DataSource ds = dataSources.connect(new NewConnection(caller.organizationId(), caller.customer().id(), type,
                        v.externalId(), metadata, r.settings(), r.tags(),
                        new Credentials.Secrets(secretsOf.apply(r.fields())))).dataSource();
                onConnected.accept(ds);
                yield ds;
            }
            case Verification.Refused refused -> throw ApiError.badRequest("The " + type + " credentials were refused: "
                    + refused.message());
            case Verification.Unreachable u -> throw new ApiError(502, "Could not verify the " + type + " credentials: "
                    + u.message());
        };
    }

    private Object freshdesk(Call call) {
        Request r = read(call, List.of("domain", "api_key"), List.of());
        connect(call, DataSourceType.FRESHDESK, r, verifiers.freshdesk(r.fields().get("domain"), r.fields().get("api_key")),
                f -> Map.of("domain", f.get("domain"), "api_key", f.get("api_key")));
        return Success.OK;
    }

    private Object gitbook(Call call) {
        Request r = read(call, List.of("organization", "access_token"), List.of());
        connect(call, DataSourceType.GITBOOK, r, verifiers.gitbook(r.fields().get("organization"), r.fields().get("access_token")),
                f -> Map.of("organization", f.get("organization"), "access_token", f.get("access_token")));
        return Success.OK;
    }

    private Object s3(Call call) {
        Request r = read(call, List.of("access_key", "access_key_secret"), List.of("endpoint_url"));
        Optional<String> endpoint = Optional.ofNullable(r.fields().get("endpoint_url"));
        DataSource ds = connect(call, DataSourceType.S3, r, verifiers.s3(r.fields().get("access_key"),
                r.fields().get("access_key_secret"), endpoint), f -> f);
        return DataSourceResponse.of(ds, call.customer().customer().suppliedId());
    }

    private Object azureBlob(Call call) {
        Request r = read(call, List.of("account_name", "account_key"), List.of());
        DataSource ds = connect(call, DataSourceType.AZURE_BLOB_STORAGE, r,
                verifiers.azureBlob(r.fields().get("account_name"), r.fields().get("account_key")), f -> f);
        return DataSourceResponse.of(ds, call.customer().customer().suppliedId());
    }

    private Object github(Call call) {
        Request r = read(call, List.of("username", "access_token"), List.of());
        connect(call, DataSourceType.GITHUB, r, verifiers.github(r.fields().get("username"), r.fields().get("access_token")), f -> f);
        return Success.OK;
    }

    private Object guru(Call call) {
        Request r = read(call, List.of("username", "access_token"), List.of());
        connect(call, DataSourceType.GURU, r, verifiers.guru(r.fields().get("username"), r.fields().get("access_token")), f -> f);
        return Success.OK;
    }

    private Object document360(Call call) {
        Request r = read(call, List.of("account_email", "access_token"), List.of());
        connect(call, DataSourceType.DOCUMENT360, r,
                verifiers.document360(r.fields().get("account_email"), r.fields().get("access_token")), f -> f);
        return Success.OK;
    }

    private Object rssFeed(Call call) {
        Request r = read(call, List.of("url"), List.of());
        connect(call, DataSourceType.RSS_FEED, r, verifiers.rssFeed(r.fields().get("url")), f -> Map.of("url", f.get("url")));
        return Success.OK;
    }
}
