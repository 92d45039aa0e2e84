/**
 * Storage plumbing: the connection pool, JDBI, Flyway migrations per database vendor.
 *
 * <p>H2 (embedded file, PostgreSQL mode) and PostgreSQL share one migration folder
 * ({@code db/migration/common}); a vendor folder holds only what must differ. Feature
 * packages keep their own SQL next to their code; this package knows no tables.
 */
package io.catchment.store;
