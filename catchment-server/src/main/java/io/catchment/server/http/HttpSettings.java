package io.catchment.server.http;

/** The HTTP listener: where to bind and how much a JSON body may weigh. */
public record HttpSettings(String host, int port, long maxJsonBodyBytes, RateLimits rateLimits) {}
