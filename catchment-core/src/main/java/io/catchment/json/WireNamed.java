package io.catchment.json;

/** An enum whose wire spelling differs from its constant name (Carbon's lower-case values). */
public interface WireNamed {
    String wireName();
}
