/**
 * The HTTP pipeline shared by every endpoint: authentication into a {@link io.catchment.server.http.Caller},
 * per-key rate limits, FastAPI-shaped request validation ({@link io.catchment.server.http.BodyReader}),
 * Carbon's error bodies, request ids, request logs and metrics. Endpoints themselves live in
 * {@code io.catchment.server.api}; nothing here knows a Carbon endpoint by name.
 */
package io.catchment.server.http;
