package io.catchment.server.http;

import java.time.Duration;

/**
 * The HTTP listener: where to bind, how much a JSON body may weigh, and how long in-flight
 * requests may run on after shutdown begins.
 */
public record HttpSettings(String host, int port, long maxJsonBodyBytes, Duration shutdownGrace) {}
