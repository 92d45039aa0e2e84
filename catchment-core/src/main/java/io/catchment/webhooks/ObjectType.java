package io.catchment.webhooks;

/** Carbon's {@code object.object_type} of a webhook payload. */
public enum ObjectType { CHUNK_LIST, DATA_SOURCE, FILE, FILE_LIST, NONE, ORGANIZATION_USER, UPLOAD_REQUEST_ID, WEBPAGE }
