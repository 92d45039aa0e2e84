/**
 * Encryption of secrets at rest: provider API keys, OAuth tokens and client secrets.
 *
 * <ul>
 *   <li>{@link io.catchment.crypto.MasterKeys}: the AES-256 keys of a deployment, each with a key
 *       id, the first being the one new secrets are sealed with; older ones still open what they
 *       sealed, so keys can rotate without a migration.
 *   <li>{@link io.catchment.crypto.SecretBox}: AES-GCM sealing bound to a context string (which
 *       row and column a secret belongs to), so a sealed value copied to another row fails to open.
 * </ul>
 */
package io.catchment.crypto;
