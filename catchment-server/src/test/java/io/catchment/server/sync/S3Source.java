package io.catchment.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.catchment.connector.DataSourceType;
import io.catchment.server.OAuthSettings;
import io.catchment.server.ServerConfig;
import io.catchment.server.support.Client;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testing.sources.FakeS3;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** Amazon S3 (or a compatible store): keys are names, so a move is a delete plus an add; no change feed. */
final class S3Source implements SourceFixture {
    static final String BUCKET = "acme-docs";
    static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final FakeS3 s3 = new FakeS3(ACCESS_KEY, SECRET, "us-east-1", Clock.systemUTC()).withBuckets(BUCKET);

    @Override
    public DataSourceType type() {
        return DataSourceType.S3;
    }

    @Override
    public ServerConfig configure(ServerConfig config) {
        return config.withOAuth(new OAuthSettings(Map.of(), Map.of(), Map.of("s3", s3.baseUrl().toString())));
    }

    @Override
    public long connect(TestServer server, Client user) {
        Reply r = user.post("/integrations/s3", Map.of("access_key", ACCESS_KEY, "access_key_secret", SECRET));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("id").asLong();
    }

    @Override
    public void addFolder(String path) {
        s3.addFolder(BUCKET, path + "/");
    }

    @Override
    public void addFile(String path, String text) {
        s3.putObject(BUCKET, path, text);
    }

    @Override
    public void editFile(String path, String text) {
        s3.editObject(BUCKET, path, text);
    }

    @Override
    public void moveFile(String from, String to) {
        s3.renameObject(BUCKET, from, to);
    }

    @Override
    public void deleteFile(String path) {
        s3.deleteObject(BUCKET, path);
    }

    @Override
    public Map<String, Object> syncFolderBody(long dataSourceId, String folderExternalId, String path) {
        return Map.of("data_source_id", dataSourceId, "ids", List.of(Map.of("bucket", BUCKET, "prefix", path + "/")));
    }

    @Override
    public String syncPath() {
        return "/integrations/s3/files";
    }

    @Override
    public long providerRequests() {
        return s3.requests().size();
    }

    @Override
    public void clearRequests() {
        s3.clearRequests();
    }

    @Override
    public List<String> containerNames() {
        return List.of(BUCKET);
    }

    @Override
    public void close() {
        s3.close();
    }
}
