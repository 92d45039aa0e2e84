/**
 * Durable jobs: db-scheduler on the application database (the only asynchronous seam).
 * Features register their task types; worker processes run them. With PostgreSQL, workers
 * claim with {@code FOR UPDATE SKIP LOCKED}; H2 (one process) uses plain polling.
 */
package io.catchment.jobs;
