/**
 * A throwaway PostgreSQL 15 with pgvector for tests: {@link io.catchment.testing.postgres.PostgresServer#shared()}
 * starts one server per JVM on 127.0.0.1 (from the apt-installed binaries that {@code .ci/install-deps}
 * provides), hands out a fresh database per caller, and deletes everything when the JVM exits. When
 * something is missing it fails loudly with what to do, rather than skipping tests.
 */
package io.catchment.testing.postgres;
