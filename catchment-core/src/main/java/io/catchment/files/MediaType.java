package io.catchment.files;

/** Carbon's {@code FileContentTypes}. */
public enum MediaType { TEXT, IMAGE, AUDIO, VIDEO }
