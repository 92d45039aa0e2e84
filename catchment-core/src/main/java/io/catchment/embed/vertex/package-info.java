/**
 * Vertex AI's multimodal embeddings ({@code VERTEX_MULTIMODAL}: multimodalembedding@001, 1408
 * dimensions), whose text and image vectors share one space, so images found by text and text by
 * images.
 *
 * <ul>
 *   <li><b>Endpoint</b>: {@code POST {base}/projects/{project}/locations/{location}/publishers/google/models/multimodalembedding@001:predict},
 *       base {@code https://{location}-aiplatform.googleapis.com/v1} unless the credentials name
 *       another; body {@code {"instances": [{"text": ...}], "parameters": {"dimension": 1408}}}, or
 *       {@code {"image": {"bytesBase64Encoded": ...}}} in place of the text; answer
 *       {@code {"predictions": [{"textEmbedding" | "imageEmbedding": [...]}], "deployedModelId"}}.
 *       Errors are Google's {@code {"error": {"code", "message", "status"}}}; 429
 *       {@code RESOURCE_EXHAUSTED} is retried with backoff by
 *       {@link io.catchment.embed.remote.JsonApiClient}.
 *   <li><b>Auth</b>: a service account key file. {@link io.catchment.embed.vertex.ServiceAccountTokens}
 *       signs an RS256 JWT ({@code iss} the account, {@code scope} cloud-platform, {@code aud} the
 *       key file's {@code token_uri}, one hour) and exchanges it there
 *       ({@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer}) for a bearer token, which
 *       is reused until five minutes before it expires; one token request at a time. A 401 from
 *       {@code :predict} drops the token and the request is sent once more with a new one.
 *   <li><b>Limits</b>: one instance per request; 120 to 600 requests a minute per project,
 *       depending on the region. Images: PNG, JPEG, GIF or BMP, at most 20 MB (the model scales
 *       them to 512 x 512); anything else is refused before sending, without retry.
 *   <li><b>Long text</b>: the model reads only its first 32 tokens and silently drops the rest,
 *       and the API refuses a {@code text} of 1024 characters or more. So
 *       {@link io.catchment.embed.remote.RemoteEmbeddingModel} cuts text into windows of 28 cl100k
 *       tokens (a margin for the model's own tokenizer), embeds each window in its own request and
 *       pools their vectors: every part of a chunk counts, at the price of one request per window.
 *       A window that is still too long in characters (long runs of whitespace or symbols) has its
 *       whitespace squeezed and is cut into pieces, pooled the same way.
 * </ul>
 * Queries and documents are embedded the same way: the model is symmetric.
 */
package io.catchment.embed.vertex;
