/**
 * Checks that JSON Catchment emits matches Carbon's OpenAPI 3.1 spec field by field, so tests can
 * assert wire compatibility with {@link io.catchment.testing.schema.CarbonSchemas#assertValid} or
 * {@link io.catchment.testing.schema.CarbonSchemas#assertValidResponse}. It is a test-time oracle
 * for response shapes only: do not use it in production request handling (it is strict about
 * formats, slow to warm up, and lives in the test-support module), and do not take a passing check
 * as proof of behaviour, since the spec says nothing about values, ordering or semantics.
 */
package io.catchment.testing.schema;
