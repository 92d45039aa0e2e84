package io.catchment.server.web;

import io.catchment.oauth.ClientApp;
import io.catchment.oauth.OAuthService;
import io.catchment.oauth.UrlOverrides;
import io.catchment.server.OAuthSettings;
import io.catchment.server.ServerConfig;
import io.catchment.testing.oauth.FakeOAuthProvider;
import io.catchment.testing.sources.FakeGoogleDrive;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Google Drive account for the page tests: the provider's OAuth fake (with its consent page, as
 * a person sees it) and the Drive fake holding the files, paths named as a user would.
 */
final class DriveAccount implements AutoCloseable {
    final FakeOAuthProvider oauth = new FakeOAuthProvider("GOOGLE_DRIVE", "client-drive", "secret-drive")
            .account("acct-ada", "ada@example.com", "Ada Lovelace");
    final FakeGoogleDrive drive = new FakeGoogleDrive(oauth::isValidAccessToken);
    private final Map<String, String> ids = new HashMap<>();

    DriveAccount() {
        ids.put("", drive.myDriveId());
    }

    ServerConfig configure(ServerConfig config) {
        Map<String, String> urls = new LinkedHashMap<>(oauth.urls());
        urls.put("api_base_url", drive.apiBase().toString());
        return config.withOAuth(new OAuthSettings(Map.of(OAuthService.GOOGLE_DRIVE, new ClientApp("client-drive", "secret-drive")),
                Map.of(OAuthService.GOOGLE_DRIVE, UrlOverrides.fromMap(urls)), Map.of()));
    }

    DriveAccount folder(String path) {
        ids.put(path, drive.addFolder(ids.get(parent(path)), name(path)));
        return this;
    }

    DriveAccount file(String path, String text) {
        ids.put(path, drive.addFile(ids.get(parent(path)), name(path), text));
        return this;
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        drive.close();
        oauth.close();
    }
}
