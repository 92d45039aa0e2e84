/**
 * Carbon's endpoints, one class per area, each a list of {@link io.catchment.server.http.ApiRoute}s.
 * Request records read and validate their JSON here; response records are Carbon's wire
 * shapes (snake_case by the shared mapper). Logic beyond translation belongs in core.
 */
package io.catchment.server.api;
