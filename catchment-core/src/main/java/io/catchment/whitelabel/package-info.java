/**
 * White labeling: organizations' own OAuth apps, one per service (Carbon's {@code /white_label/*}).
 *
 * <p>{@link io.catchment.whitelabel.WhiteLabels} keeps them, with client secrets (and Google
 * Drive's Picker API key) sealed by {@link io.catchment.crypto.SecretBox}, and answers the OAuth
 * engine's question "which app connects this service for this organization" through
 * {@link io.catchment.oauth.ClientApps.OrganizationApps}. Listed entries
 * ({@link io.catchment.whitelabel.WhiteLabel}) carry only masks of the secrets, so nothing that
 * is shown to a caller can hold one.
 */
package io.catchment.whitelabel;
