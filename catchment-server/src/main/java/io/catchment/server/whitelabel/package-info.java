/**
 * {@code /white_label/create|list|update|delete} (API key only) and {@code GET
 * /auth/v1/white_labeling} (customer scope): organizations' own OAuth apps per service, over
 * {@link io.catchment.whitelabel.WhiteLabels}.
 *
 * <p>Where Carbon's spec is silent (it gives no response schema for the four endpoints), Catchment
 * answers: create with the list of created apps, list with {@code {results, count}}, update with
 * the updated app, delete with {@code {success: true}}. An app is shown as
 * {@code {id, organization_id, data_source_type, credentials, created_at, updated_at}} where
 * {@code credentials} has the fields of the service's input and secrets are masked.
 */
package io.catchment.server.whitelabel;
