package io.catchment.whitelabel;

import java.util.Optional;

/**
 * What a hosted file picker page needs from an organization's app: the client id and redirect
 * URI the picker runs as, and Google's Picker API key (Google Drive only).
 */
public record PickerSettings(String clientId, String redirectUri, Optional<String> apiKey) {
    @Override
    public String toString() {
        return "PickerSettings[" + clientId + ", apiKey=" + apiKey.map(WhiteLabel::mask).orElse("none") + "]";
    }
}
