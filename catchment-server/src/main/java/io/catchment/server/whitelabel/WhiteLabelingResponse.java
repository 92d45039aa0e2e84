package io.catchment.server.whitelabel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * Carbon's {@code WhiteLabelingResponse}, which Carbon Connect reads on start. {@code integrations}
 * maps every OAuth service (by data source type) to whether the organization has its own app for
 * it; Carbon Connect tests {@code integrations[<type>]} for truth.
 */
record WhiteLabelingResponse(boolean removeBranding, Map<String, Boolean> integrations, ObjectNode customLimits,
                             ObjectNode connectorSettings) {}
