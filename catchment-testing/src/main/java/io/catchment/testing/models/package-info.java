/**
 * Fakes of model providers' HTTP APIs (embeddings, rerank, token endpoints), speaking each
 * provider's real request and response format over a real socket.
 *
 * <ul>
 *   <li>{@link io.catchment.testing.models.FakeHttpApi}: the shared server: records every request
 *       (method, path, query, headers, body), checks the auth header, and plays scripted faults
 *       (429 with {@code Retry-After}, 5xx, error bodies) before answering normally.
 *   <li>{@link io.catchment.testing.models.FakeVectors}: deterministic vectors from word hashing,
 *       so texts that share words are near each other and search results mean something.
 * </ul>
 * One class per provider builds on these.
 */
package io.catchment.testing.models;
