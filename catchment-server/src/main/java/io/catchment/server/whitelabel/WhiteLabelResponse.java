package io.catchment.server.whitelabel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.catchment.json.Json;
import io.catchment.whitelabel.WhiteLabel;
import java.time.Instant;

/**
 * One white-label app as shown. {@code credentials} mirrors the input the service takes (Google
 * Drive adds {@code api_key}, OneDrive and SharePoint the file picker's pair); secrets are masks
 * ({@code "••••"} plus at most their last four characters), or null when none is stored.
 */
record WhiteLabelResponse(long id, long organizationId, String dataSourceType, ObjectNode credentials,
                          Instant createdAt, Instant updatedAt) {

    static WhiteLabelResponse of(WhiteLabel w) {
        ObjectNode credentials = Json.object()
                .put("client_id", w.clientId())
                .put("redirect_uri", w.redirectUri())
                .put("client_secret", w.clientSecretMask().orElse(null));
        switch (w.shape()) {
            case GOOGLE_DRIVE -> credentials.put("api_key", w.apiKeyMask().orElse(null));
            case MICROSOFT_PICKER -> credentials
                    .put("file_picker_client_id", w.filePickerClientId().orElse(null))
                    .put("file_picker_redirect_uri", w.filePickerRedirectUri().orElse(null));
            case STANDARD -> { }
        }
        return new WhiteLabelResponse(w.id(), w.organizationId(), w.service().name(), credentials, w.createdAt(),
                w.updatedAt());
    }
}
