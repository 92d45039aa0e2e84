package io.catchment.connectors;

import io.catchment.connector.Connector;
import io.catchment.connector.credentials.CredentialVerifiers;
import io.catchment.connectors.azureblob.AzureBlobConnector;
import io.catchment.connectors.box.BoxConnector;
import io.catchment.connectors.dropbox.DropboxConnector;
import io.catchment.connectors.gcs.GcsConnector;
import io.catchment.connectors.googledrive.GoogleDriveConnector;
import io.catchment.connectors.microsoft.OneDriveConnector;
import io.catchment.connectors.microsoft.SharePointConnector;
import io.catchment.connectors.s3.S3Connector;
import java.util.List;

/** Every content connector, built with the endpoints the composition root was given. */
public final class ContentConnectors {
    private ContentConnectors() {}

    /**
     * @param endpoints where the key-based stores live (S3, DigitalOcean Spaces, Azure Blob), overridable for tests
     * @param resourceManager Google Cloud Resource Manager's base (GCS lists buckets per project)
     */
    public static List<Connector> all(CredentialVerifiers.Endpoints endpoints, String resourceManager) {
        return List.of(new GoogleDriveConnector(), new GcsConnector(resourceManager), new DropboxConnector(),
                new BoxConnector(), new OneDriveConnector(), new SharePointConnector(), new S3Connector(endpoints),
                new AzureBlobConnector(endpoints));
    }
}
