package io.catchment.server.sync;

import io.catchment.oauth.OAuthService;
import io.catchment.server.ServerConfig;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.sources.FakeGoogleCloudStorage;
import java.util.List;
import java.util.Map;

/** Google Cloud Storage: a project's bucket; keys are names, so a move is a delete plus an add; no change feed. */
final class GcsSource extends OAuthSource {
    static final String BUCKET = "acme-docs";

    private final FakeGoogleCloudStorage gcs;

    GcsSource() {
        super(OAuthService.GOOGLE_CLOUD_STORAGE);
        gcs = new FakeGoogleCloudStorage(oauth::isValidAccessToken);
        gcs.addProject("acme-project", "Acme");
        gcs.addBucket("acme-project", BUCKET);
    }

    @Override
    public ServerConfig configure(ServerConfig config) {
        ServerConfig withOAuth = super.configure(config);
        var o = withOAuth.oauth();
        return withOAuth.withOAuth(new io.catchment.server.OAuthSettings(o.apps(), o.urlOverrides(),
                Map.of("google_resource_manager", gcs.resourceManagerBase().toString())));
    }

    @Override
    protected FakeHttpApi content() {
        return gcs;
    }

    @Override
    protected String apiBase() {
        return gcs.apiBase().toString();
    }

    @Override
    public void addFolder(String path) {
        gcs.addFolder(BUCKET, path + "/");
    }

    @Override
    public void addFile(String path, String text) {
        gcs.addFile(BUCKET, path, text);
    }

    @Override
    public void editFile(String path, String text) {
        gcs.editContent(BUCKET, path, text);
    }

    @Override
    public void moveFile(String from, String to) {
        gcs.rename(BUCKET, from, to);
    }

    @Override
    public void deleteFile(String path) {
        gcs.delete(BUCKET, path);
    }

    @Override
    public List<String> containerNames() {
        return List.of(BUCKET);
    }
}
