/**
 * Files (Carbon's "user files") as stored records: their options, state, statistics, tags
 * and chunks, and the queries over them (filters, tags_v2, ordering, paging). The pipeline
 * that moves a file through its states is {@code io.catchment.ingest}.
 */
package io.catchment.files;
