package io.catchment.server.http;

/** An endpoint's logic: returns the value to send as JSON (status 200). */
@FunctionalInterface
public interface ApiHandler {
    Object handle(Call call) throws Exception;
}
