package io.catchment.server.http;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The HTTP listener: where to bind, how much a JSON body and an upload may weigh, where
 * uploads spool while they arrive, and how long in-flight requests may run on after shutdown begins.
 */
public record HttpSettings(String host, int port, long maxJsonBodyBytes, Duration shutdownGrace, long maxUploadBytes,
                           Path uploadSpool) {}
