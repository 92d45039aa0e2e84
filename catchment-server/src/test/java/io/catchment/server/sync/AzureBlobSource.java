package io.catchment.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.DataSourceType;
import io.catchment.server.OAuthSettings;
import io.catchment.server.ServerConfig;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.sources.FakeAzureBlob;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Azure Blob Storage: a container's blobs; names are ids, so a move is a delete plus an add; no change feed. */
final class AzureBlobSource implements SourceFixture {
    static final String CONTAINER = "acme-docs";
    static final String ACCOUNT = "acmestorage";
    static final String KEY = Base64.getEncoder().encodeToString("an azure account key of sixty-four bytes for the fake store!!!!!".getBytes());

    private final FakeAzureBlob azure = new FakeAzureBlob(ACCOUNT, KEY, Clock.systemUTC()).withContainers(CONTAINER);

    @Override
    public DataSourceType type() {
        return DataSourceType.AZURE_BLOB_STORAGE;
    }

    @Override
    public ServerConfig configure(ServerConfig config) {
        return config.withOAuth(new OAuthSettings(Map.of(), Map.of(), Map.of("azure_blob", azure.baseUrl().toString())));
    }

    @Override
    public long connect(TestServer server, Client user) {
        Reply r = user.post("/integrations/azure_blob_storage", Map.of("account_name", ACCOUNT, "account_key", KEY));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    @Override
    public void addFolder(String path) {
        azure.addDirectory(CONTAINER, path + "/");
    }

    @Override
    public void addFile(String path, String text) {
        azure.putBlob(CONTAINER, path, text);
    }

    @Override
    public void editFile(String path, String text) {
        azure.editBlob(CONTAINER, path, text);
    }

    @Override
    public void moveFile(String from, String to) {
        azure.renameBlob(CONTAINER, from, to);
    }

    @Override
    public void deleteFile(String path) {
        azure.deleteBlob(CONTAINER, path);
    }

    @Override
    public Map<String, Object> syncFolderBody(long dataSourceId, String folderExternalId, String path) {
        return Map.of("data_source_id", dataSourceId, "ids", List.of(Map.of("container", CONTAINER, "id", path + "/")));
    }

    @Override
    public String syncPath() {
        return "/integrations/azure_blob_storage/files";
    }

    @Override
    public long providerRequests() {
        return azure.requests().size();
    }

    @Override
    public void clearRequests() {
        azure.clearRequests();
    }

    @Override
    public List<String> containerNames() {
        return List.of(CONTAINER);
    }

    @Override
    public void close() {
        azure.close();
    }
}
