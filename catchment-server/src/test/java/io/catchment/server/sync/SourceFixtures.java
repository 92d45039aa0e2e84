package io.catchment.server.sync;

import io.catchment.oauth.OAuthService;

/** The fixtures of the end-to-end sync tests, one per file-store connector. */
final class SourceFixtures {
    private SourceFixtures() {}

    static SourceFixture googleDrive() {
        return new GoogleDriveSource();
    }

    static SourceFixture gcs() {
        return new GcsSource();
    }

    static SourceFixture dropbox() {
        return new DropboxSource();
    }

    static SourceFixture box() {
        return new BoxSource();
    }

    static SourceFixture oneDrive() {
        return new GraphSource(OAuthService.ONEDRIVE);
    }

    static SourceFixture sharePoint() {
        return new GraphSource(OAuthService.SHAREPOINT);
    }

    static SourceFixture s3() {
        return new S3Source();
    }

    static SourceFixture azureBlob() {
        return new AzureBlobSource();
    }
}
