package io.catchment.tenancy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * An organization: Catchment's direct customer. {@code dataSourceConfigs} maps a data source
 * type to its {@code {allowed_file_formats, google_workspace_docs_save_as}} settings.
 */
public record Organization(
        long id,
        String name,
        Optional<String> nickname,
        boolean removeBranding,
        Optional<ObjectNode> customBranding,
        ObjectNode customLimits,
        UserConfiguration globalUserConfig,
        ObjectNode dataSourceConfigs,
        Instant createdAt,
        Instant updatedAt) {}
