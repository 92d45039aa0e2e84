/**
 * The server process: {@link io.catchment.server.Catchment} is the one composition root that
 * wires core into HTTP and workers; {@link io.catchment.server.Main} is the command line.
 */
package io.catchment.server;
