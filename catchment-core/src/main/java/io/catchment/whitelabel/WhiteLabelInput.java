package io.catchment.whitelabel;

import io.catchment.oauth.OAuthService;
import java.util.Objects;
import java.util.Optional;

/**
 * One organization app as a create or update gives it. The fields beyond the common three belong
 * to one {@link CredentialShape}: {@code apiKey} to Google Drive, the file picker's pair to
 * OneDrive and SharePoint; another service must leave them unset.
 */
public record WhiteLabelInput(
        OAuthService service,
        String clientId,
        String redirectUri,
        SecretUpdate clientSecret,
        SecretUpdate apiKey,
        Optional<String> filePickerClientId,
        Optional<String> filePickerRedirectUri) {

    public WhiteLabelInput {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(clientSecret, "clientSecret");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(filePickerClientId, "filePickerClientId");
        Objects.requireNonNull(filePickerRedirectUri, "filePickerRedirectUri");
        if (clientId == null || clientId.isBlank()) throw new IllegalArgumentException("clientId must not be blank");
        if (redirectUri == null || redirectUri.isBlank()) throw new IllegalArgumentException("redirectUri must not be blank");
        CredentialShape shape = CredentialShape.of(service);
        if (shape != CredentialShape.GOOGLE_DRIVE && apiKey instanceof SecretUpdate.Replace) {
            throw new IllegalArgumentException("only GOOGLE_DRIVE takes an api_key, not " + service);
        }
        if (shape != CredentialShape.MICROSOFT_PICKER
                && (filePickerClientId.isPresent() || filePickerRedirectUri.isPresent())) {
            throw new IllegalArgumentException("only ONEDRIVE and SHAREPOINT take file picker settings, not " + service);
        }
    }

    /** The common three only (every service's shape). */
    public static WhiteLabelInput of(OAuthService service, String clientId, String redirectUri, SecretUpdate clientSecret) {
        return new WhiteLabelInput(service, clientId, redirectUri, clientSecret, SecretUpdate.KEEP, Optional.empty(),
                Optional.empty());
    }
}
