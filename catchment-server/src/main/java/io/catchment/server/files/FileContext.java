package io.catchment.server.files;

import io.catchment.blob.BlobStore;
import io.catchment.embed.EmbeddingModels;
import io.catchment.files.FileStore;
import io.catchment.files.StoredFile;
import io.catchment.ingest.Ingestion;
import io.catchment.ingest.Submission;
import io.catchment.server.http.ApiError;
import io.catchment.server.http.Caller;
import io.catchment.server.http.LinkSigner;
import io.catchment.tenancy.Organizations;
import io.catchment.tenancy.UserConfiguration;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** What the Files endpoints share: the stores, the ingestion front door, and link signing. */
public record FileContext(FileStore files, Ingestion ingestion, BlobStore blobs, EmbeddingModels models,
                   Organizations organizations, LinkSigner signer, Optional<String> publicUrl, long maxUploadBytes) {

    static final Duration DEFAULT_LINK_TTL = Duration.ofHours(1);

    /** The caller's file, or 404 (another customer's file does not exist for this caller). */
    StoredFile ownFile(Caller.CustomerScoped caller, long fileId) {
        return files.findForCustomer(caller.customer().id(), fileId)
                .orElseThrow(() -> ApiError.notFound("File not found: no file " + fileId + " for this user"));
    }

    /** The customer's limits: their own settings over the organization's defaults. */
    UserConfiguration limits(Caller.CustomerScoped caller) {
        UserConfiguration org = organizations.find(caller.organizationId()).orElseThrow().globalUserConfig();
        return org.overlay(caller.customer().configuration());
    }

    /** Turns a refused submission into a 400 and gives back the accepted file. */
    StoredFile accepted(Submission submission, Optional<String> blobToForget) {
        return switch (submission) {
            case Submission.Accepted a -> a.file();
            case Submission.Refused r -> {
                blobToForget.filter(k -> !files.blobInUse(k)).ifPresent(this::deleteQuietly);
                throw ApiError.badRequest(r.reason());
            }
        };
    }

    UserFileResponse.Links links(Context ctx, StoredFile f, boolean raw, boolean parsed, Duration ttl) {
        String base = publicUrl.orElseGet(() -> ctx.scheme() + "://" + ctx.host());
        return new UserFileResponse.Links(
                raw && f.rawBlob().isPresent() ? Optional.of(base + signer.sign("/files/" + f.id() + "/raw", ttl)) : Optional.empty(),
                parsed && f.parsedBlob().isPresent() ? Optional.of(base + signer.sign("/files/" + f.id() + "/parsed", ttl)) : Optional.empty());
    }

    /** A signed link to the file's raw content (valid for an hour), if the content is stored. */
    public Optional<String> rawLink(Context ctx, StoredFile f) {
        return links(ctx, f, true, false, DEFAULT_LINK_TTL).raw();
    }

    UserFileResponse response(Context ctx, Caller.CustomerScoped caller, StoredFile f, boolean withLinks) {
        return UserFileResponse.of(f, caller.customer().suppliedId(),
                withLinks ? links(ctx, f, true, true, DEFAULT_LINK_TTL) : UserFileResponse.Links.NONE);
    }

    private void deleteQuietly(String key) {
        try {
            blobs.delete(key);
        } catch (IOException ignored) {
            // an orphan blob is harmless; it is content-addressed and reused if the bytes come again
        }
    }
}
