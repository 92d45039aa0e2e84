package io.catchment.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.Usage;
import io.catchment.files.UsageStore;
import io.catchment.json.Json;
import io.catchment.server.http.Access;
import io.catchment.server.http.ApiRoute;
import io.catchment.server.http.BodyReader;
import io.catchment.server.http.Call;
import io.catchment.server.http.RateTier;
import io.catchment.server.web.BrandingInput;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.Organizations;
import io.catchment.tenancy.UserConfiguration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /organization} and {@code /organization/update}. */
public final class OrganizationApi {
    private final Organizations organizations;
    private final UsageStore usage;

    public OrganizationApi(Organizations organizations, UsageStore usage) {
        this.organizations = organizations;
        this.usage = usage;
    }

    /** Carbon's {@code OrganizationResponse}; the aggregates count the organization's READY files by source. */
    record OrganizationResponse(long id, String name, Optional<String> nickname, boolean removeBranding,
                                Optional<ObjectNode> customBranding, ObjectNode customLimits,
                                ObjectNode aggregateFileSize, ObjectNode aggregateNumCharacters,
                                ObjectNode aggregateNumTokens, ObjectNode aggregateNumEmbeddings,
                                ObjectNode aggregateNumFilesBySource, ObjectNode aggregateNumFilesByFileFormat,
                                Optional<Instant> fileStatisticsAggregatedAt, Optional<Instant> periodEndsAt,
                                Optional<Boolean> cancelAtPeriodEnd, ObjectNode connectorSettings,
                                ObjectNode globalUserConfig, ObjectNode fileSyncUsage, ObjectNode loggingSettings,
                                Instant createdAt, Instant updatedAt) {
        static OrganizationResponse of(Organization o, Usage u) {
            return new OrganizationResponse(o.id(), o.name(), o.nickname(), o.removeBranding(), o.customBranding(),
                    o.customLimits(), UserResponse.map(u.fileSizeBySource()), UserResponse.map(u.charactersBySource()),
                    UserResponse.map(u.tokensBySource()), UserResponse.map(u.embeddingsBySource()),
                    UserResponse.map(u.filesBySource()), UserResponse.map(u.filesByFormat()), Optional.empty(),
                    Optional.empty(), Optional.empty(), o.dataSourceConfigs(),
                    o.globalUserConfig().toJson(), Json.object(), Json.object(), o.createdAt(), o.updatedAt());
        }
    }

    /** Carbon's fields, plus the hosted pages' branding (beyond Carbon). */
    record UpdateOrganizationRequest(UserConfiguration globalUserConfig, ObjectNode dataSourceConfigs, BrandingInput branding) {
        static UpdateOrganizationRequest read(BodyReader b) {
            return new UpdateOrganizationRequest(
                    b.nullableObject("global_user_config", UserConfigurationReader::read, UserConfiguration.EMPTY),
                    b.raw("data_source_configs").map(v -> dataSourceConfigs(b, v)).orElse(Json.object()),
                    BrandingInput.read(b));
        }

        /** {@code map<DataSourceType, {allowed_file_formats: str[], google_workspace_docs_save_as: str?}>}. */
        private static ObjectNode dataSourceConfigs(BodyReader b, JsonNode v) {
            ObjectNode out = Json.object();
            if (!v.isObject()) return b.problem("data_source_configs", "Input should be a valid dictionary", "dict_type", v, out);
            Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                if (!UserConfigurationReader.isDataSourceType(entry.getKey())) {
                    b.problem("data_source_configs", "Input should be a data source type such as 'GOOGLE_DRIVE', not '"
                            + entry.getKey() + "'", "enum", Json.tree(entry.getKey()), null);
                    continue;
                }
                ObjectNode config = b.object("data_source_configs", inner -> inner.object(entry.getKey(),
                        OrganizationApi::dataSourceConfig, Json.object()), Json.object());
                out.set(entry.getKey(), config);
            }
            return out;
        }
    }

    private static ObjectNode dataSourceConfig(BodyReader b) {
        ObjectNode node = Json.object();
        var formats = node.putArray("allowed_file_formats");
        b.optionalStringList("allowed_file_formats", 1000).orElse(List.of()).forEach(formats::add);
        b.optionalString("google_workspace_docs_save_as")
                .ifPresentOrElse(s -> node.put("google_workspace_docs_save_as", s), () -> node.putNull("google_workspace_docs_save_as"));
        return node;
    }

    public List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/organization", Access.ORGANIZATION, RateTier.TIER_1, this::get),
                ApiRoute.post("/organization/update", Access.ORGANIZATION, RateTier.TIER_1, this::update));
    }

    private Object get(Call call) {
        long id = call.caller().organizationId();
        return OrganizationResponse.of(organizations.find(id).orElseThrow(), usage.ofOrganization(id));
    }

    private Object update(Call call) {
        UpdateOrganizationRequest request = call.body(UpdateOrganizationRequest::read);
        organizations.updateSettings(call.caller().organizationId(), request.globalUserConfig(), request.dataSourceConfigs());
        organizations.updateBranding(call.caller().organizationId(), request.branding().removeBranding(),
                request.branding().customBranding());
        return Success.OK;
    }
}
