package io.catchment.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.files.Usage;
import io.catchment.json.Json;
import io.catchment.tenancy.AutoSyncSources;
import io.catchment.tenancy.Customer;
import io.catchment.tenancy.Organization;
import io.catchment.tenancy.UserConfiguration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Carbon's {@code UserResponse}. Limits and auto-sync settings shown are the effective ones
 * (the customer's own over the organization's defaults). File statistics count the customer's
 * READY files; the aggregate objects are keyed by source type (file format for the last one).
 */
record UserResponse(
        long id,
        long organizationId,
        String organizationSuppliedUserId,
        Instant createdAt,
        Instant updatedAt,
        Optional<Instant> deletedAt,
        long numFilesSynced,
        long numCharactersSynced,
        long numTokensSynced,
        ObjectNode aggregateFileSize,
        ObjectNode aggregateNumCharacters,
        ObjectNode aggregateNumTokens,
        ObjectNode aggregateNumEmbeddings,
        ObjectNode aggregateNumFilesBySource,
        ObjectNode aggregateNumFilesByFileFormat,
        List<ObjectNode> uniqueFileTags,
        ObjectNode enabledFeatures,
        ObjectNode customLimits,
        List<String> autoSyncEnabledSources,
        ObjectNode connectorSettings) {

    static UserResponse of(Customer customer, Organization org, Usage usage) {
        UserConfiguration effective = org.globalUserConfig().overlay(customer.configuration());
        return new UserResponse(customer.id(), customer.organizationId(), customer.suppliedId(), customer.createdAt(),
                customer.updatedAt(), Optional.empty(), usage.readyFiles(), usage.characters(), usage.tokens(),
                map(usage.fileSizeBySource()), map(usage.charactersBySource()), map(usage.tokensBySource()),
                map(usage.embeddingsBySource()), map(usage.filesBySource()), map(usage.filesByFormat()), List.of(),
                customer.enabledFeatures(), customLimits(effective), autoSyncSources(effective),
                connectorSettings(effective));
    }

    static ObjectNode map(java.util.Map<String, Long> values) {
        ObjectNode node = Json.object();
        values.forEach(node::put);
        return node;
    }

    static ObjectNode customLimits(UserConfiguration config) {
        ObjectNode node = Json.object();
        List<OptionalInt> limits = config.limits();
        for (int i = 0; i < limits.size(); i++) {
            String key = UserConfiguration.LIMIT_KEYS.get(i);
            limits.get(i).ifPresent(v -> node.put(key, v));
        }
        return node;
    }

    static List<String> autoSyncSources(UserConfiguration config) {
        return config.autoSyncEnabledSources().map(s -> switch (s) {
            case AutoSyncSources.All all -> List.of("ALL");
            case AutoSyncSources.Only only -> only.types();
        }).orElse(List.of());
    }

    static ObjectNode connectorSettings(UserConfiguration config) {
        ObjectNode node = Json.object();
        config.autoSyncInterval().ifPresent(v -> node.put("auto_sync_interval", v));
        return node;
    }
}
