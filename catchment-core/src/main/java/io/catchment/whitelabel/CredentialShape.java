package io.catchment.whitelabel;

import io.catchment.oauth.OAuthService;

/** Which of Carbon's three white-label inputs a service takes; each adds fields to the common three. */
public enum CredentialShape {
    /** {@code WhiteLabelInput}: client_id, redirect_uri and client_secret. */
    STANDARD,
    /** {@code GoogleDriveWhiteLabelInput}: adds {@code api_key}, the Google Picker's key. */
    GOOGLE_DRIVE,
    /**
     * {@code OneDriveSharepointWhiteLabelInput}: adds {@code file_picker_client_id} and
     * {@code file_picker_redirect_uri}, a separate SPA app registration the Microsoft picker uses.
     */
    MICROSOFT_PICKER;

    public static CredentialShape of(OAuthService service) {
        return switch (service) {
            case GOOGLE_DRIVE -> GOOGLE_DRIVE;
            case ONEDRIVE, SHAREPOINT -> MICROSOFT_PICKER;
            default -> STANDARD;
        };
    }
}
