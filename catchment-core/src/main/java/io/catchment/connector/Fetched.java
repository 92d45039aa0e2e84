package io.catchment.connector;

import java.util.Optional;

/**
 * What a connector wrote into the file it was asked to fill: the name to ingest it under (an
 * exported Google Doc becomes "Plan.docx") and the content type the provider gave.
 */
public record Fetched(String fileName, Optional<String> mimeType) {}
