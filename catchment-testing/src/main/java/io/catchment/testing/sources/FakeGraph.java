package io.catchment.testing.sources;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.catchment.testing.models.FakeHttpApi;
import io.catchment.testing.models.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Microsoft Graph's drive API for one tenant, stateful: the signed-in user's OneDrive
 * ({@code /me/drive}) and SharePoint sites, each with document libraries (drives), each a tree of
 * folders and files with ids, names, parents, content, eTags, hashes and times. Tests change the
 * tree ({@link #addFolder}, {@link #addFile}, {@link #addFiles}, {@link #editContent},
 * {@link #rename}, {@link #move}, {@link #delete}); every change goes into the drive's change log,
 * which the delta API reads.
 *
 * <p>Endpoints (all under {@code /v1.0}, bearer token checked with the predicate given):
 * <ul>
 *   <li>{@code GET /me}, {@code GET /me/drive}, {@code GET /me/drive/root},
 *       {@code GET /me/drive/root/delta};</li>
 *   <li>{@code GET /drives/{id}}, {@code /drives/{id}/root}, {@code /drives/{id}/items/{itemId}};</li>
 *   <li>{@code GET /drives/{id}/root/delta}: without {@code token} it enumerates the whole drive
 *       in creation order (the root item with {@code root{}} first), {@code $top} items a
 *       page, {@code @odata.nextLink} until the last page carries {@code @odata.deltaLink};
 *       {@code token=latest} answers no items and the current deltaLink; a deltaLink's token
 *       gives every item changed since, once each in its current state, ancestors of changed
 *       items included (as Graph does without {@code deltaExcludeParent}), deleted ones as
 *       {@code {id, deleted{state}, parentReference}} without {@code name} or {@code cTag}.
 *       Like OneDrive for Business, delta omits {@code cTag}; files carry
 *       {@code file.hashes.quickXorHash}. A token the fake did not issue, one for another drive
 *       or one older than {@link #expireDeltaTokens} gets {@code 410 Gone}
 *       ({@code resyncChangesApplyDifferences}) with a {@code Location} that starts over;</li>
 *   <li>{@code GET /drives/{id}/items/{itemId}/content}: {@code 302} to a pre-authenticated
 *       URL on a second local server (another port, as SharePoint's host is another host) that
 *       serves the exact bytes without any {@code Authorization};
 *       {@link #downloadRequests()} records what it was asked;</li>
 *   <li>{@code GET /sites?search=*} (or a keyword), {@code GET /sites/{id}},
 *       {@code GET /sites/{id}/drive}, {@code GET /sites/{id}/drives}, paged with
 *       {@code $top} and {@code @odata.nextLink} ({@code $skiptoken}); an unknown skip token
 *       is a 400.</li>
 * </ul>
 * Errors are Graph's {@code {"error":{"code","message","innerError":{date, request-id,
 * client-request-id}}}}: 401 {@code InvalidAuthenticationToken}, 404 {@code itemNotFound},
 * 400 {@code invalidRequest}; {@link #tooManyRequests} is Graph's 429 for {@code failNext}.
 */
public final class FakeGraph extends FakeHttpApi {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    /** A snapshot of one item, for assertions. {@code parentId} is empty for a drive's root. */
    public record Item(String id, String driveId, Optional<String> parentId, String name, boolean folder,
                       byte[] content, String mimeType, boolean deleted) {}

    private static final class Drive {
        final String id;
        final String name;
        final String driveType;
        final String webUrl;
        final String siteId; // null for the user's OneDrive
        final Instant created;
        String rootId;
        boolean deleted;
        long floor; // tokens based before this sequence number are refused
        final TreeMap<Long, String> byChange = new TreeMap<>(); // each item once, at its latest change
        final TreeMap<Long, String> byCreation = new TreeMap<>(); // live items, in creation order

        Drive(String id, String name, String driveType, String webUrl, String siteId, Instant created) {
            this.id = id;
            this.name = name;
            this.driveType = driveType;
            this.webUrl = webUrl;
            this.siteId = siteId;
            this.created = created;
        }
    }

    private static final class Node {
        final String id;
        final Drive drive;
        final boolean folder;
        final String etagGuid;
        final Instant created;
        final LinkedHashSet<String> children = new LinkedHashSet<>();
        final Map<String, String> childNames = new HashMap<>(); // lower-case name → id
        String name;
        String parentId;
        byte[] content;
        String mimeType;
        Instant modified;
        long createdSeq;
        long changeSeq;
        int etagVersion;
        int contentVersion = 1;
        boolean deleted;

        Node(String id, Drive drive, boolean folder, String name, String parentId, Instant created, String etagGuid) {
            this.id = id;
            this.drive = drive;
            this.folder = folder;
            this.name = name;
            this.parentId = parentId;
            this.created = created;
            this.modified = created;
            this.etagGuid = etagGuid;
        }
    }

    private static final class Site {
        final String id;
        final String name; // null for the root site
        final String displayName;
        final String webUrl;
        final Instant created;
        final List<String> drives = new ArrayList<>();

        Site(String id, String name, String displayName, String webUrl, Instant created) {
            this.id = id;
            this.name = name;
            this.displayName = displayName;
            this.webUrl = webUrl;
            this.created = created;
        }
    }

    private record Token(char mode, String driveId, long base, long upto, long after, int top) {}

    private final Predicate<String> validAccessToken;
    private final String tenant;
    private final String hostname;
    private final Random random = new Random(20240611L);
    private final Map<String, Drive> drives = new LinkedHashMap<>();
    private final Map<String, Node> items = new HashMap<>();
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final Map<String, String> tempauth = new HashMap<>(); // tempauth value → item id
    private final Drive meDrive;
    private final String rootSiteId;
    private final HttpServer downloads;
    private final List<RecordedRequest> downloadLog = new CopyOnWriteArrayList<>();
    private final ThreadLocal<String> refusal = new ThreadLocal<>();
    private long seq;
    private int deltaPageSize = 200;
    private int sitesPageSize = 10;
    private int drivesPageSize = 100;

    /** A tenant {@code contoso}: the user's empty OneDrive and the root site with its "Documents" library. */
    public FakeGraph(Predicate<String> validAccessToken) {
        this("contoso", validAccessToken);
    }

    /**
     * @param tenant the tenant's short name ({@code contoso} → {@code contoso.sharepoint.com})
     * @param validAccessToken whether a bearer token is currently valid (a fake OAuth server's
     *     {@code isValidAccessToken}, or a test's own rule)
     */
    public FakeGraph(String tenant, Predicate<String> validAccessToken) {
        this.tenant = tenant;
        this.validAccessToken = validAccessToken;
        this.hostname = tenant + ".sharepoint.com";
        try {
            downloads = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        downloads.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        downloads.createContext("/", this::download);
        downloads.start();
        synchronized (this) {
            meDrive = newDrive("OneDrive", "business", "https://" + tenant + "-my.sharepoint.com/personal/alice_"
                    + tenant + "_onmicrosoft_com/Documents", null);
            rootSiteId = addSite(null, "Communication site");
        }
        get("/v1.0/me", r -> Reply.json(200, me()));
        get("/v1.0/me/drive", r -> drive(meDrive));
        get("/v1.0/me/drive/root", r -> itemReply(meDrive.rootId));
        get("/v1.0/me/drive/root/delta", r -> delta(meDrive, r));
        get("/v1.0/sites", this::searchSites);
        prefix("GET", "/v1.0/drives/", this::drives);
        prefix("GET", "/v1.0/sites/", this::sites);
    }

    // ---------------------------------------------------------------- tenant set-up and changes

    /** The base URL a connector is given: {@code http://127.0.0.1:port/v1.0}. */
    public String apiBase() {
        return baseUrl() + "/v1.0";
    }

    /** {@code tenant.sharepoint.com}. */
    public String hostname() {
        return hostname;
    }

    /** The signed-in user's OneDrive ({@code GET /me/drive}). */
    public String meDriveId() {
        return meDrive.id;
    }

    /** The tenant's root site (no {@code name}), created with the fake. */
    public String rootSiteId() {
        return rootSiteId;
    }

    /**
     * Adds a site collection at {@code /sites/{name}} with its default "Documents" library.
     *
     * @param name the URL name ({@code null} only for the root site, which exists already)
     * @return the site id, {@code hostname,siteCollectionId,webId}
     */
    public synchronized String addSite(String name, String displayName) {
        String id = hostname + "," + UUID.nameUUIDFromBytes(bytes(random)) + "," + UUID.nameUUIDFromBytes(bytes(random));
        String url = "https://" + hostname + (name == null ? "" : "/sites/" + encodePath(name));
        Site site = new Site(id, name, displayName, url, now());
        sites.put(id, site);
        addDriveTo(site, "Documents", url + "/Shared%20Documents");
        return id;
    }

    /** Another document library in {@code siteId}; returns the drive id. */
    public synchronized String addDrive(String siteId, String name) {
        Site site = site(siteId);
        return addDriveTo(site, name, site.webUrl + "/" + encodePath(name));
    }

    /** The site's first library ("Documents"). */
    public synchronized String defaultDriveOf(String siteId) {
        return site(siteId).drives.getFirst();
    }

    /** The drive ids of a site, in creation order (deleted ones left out). */
    public synchronized List<String> drivesOf(String siteId) {
        return site(siteId).drives.stream().filter(d -> !drives.get(d).deleted).toList();
    }

    /** The library is deleted: its listing, items and delta answer 404 from now on. */
    public synchronized void deleteDrive(String driveId) {
        driveById(driveId).deleted = true;
    }

    /** The id of a drive's root item (the one with {@code root{}}). */
    public synchronized String rootItemId(String driveId) {
        return driveById(driveId).rootId;
    }

    /** From now on every delta token issued so far for this drive is answered {@code 410 Gone}. */
    public synchronized void expireDeltaTokens(String driveId) {
        driveById(driveId).floor = ++seq;
    }

    /**
     * A new folder. {@code parent} is a folder's item id, or a drive id for the drive's root.
     *
     * @return the folder's item id
     */
    public synchronized String addFolder(String parent, String name) {
        return create(parent, name, true, null, null).id;
    }

    /** A new file with these bytes; its MIME type follows the name's extension. */
    public synchronized String addFile(String parent, String name, byte[] content) {
        return create(parent, name, false, content, mimeTypeOf(name)).id;
    }

    /** A new UTF-8 text file. */
    public synchronized String addFile(String parent, String name, String text) {
        return addFile(parent, name, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A new file with an explicit MIME type. */
    public synchronized String addFile(String parent, String name, String mimeType, byte[] content) {
        return create(parent, name, false, content, mimeType).id;
    }

    /**
     * {@code count} text files named {@code namePrefix1.txt}, {@code namePrefix2.txt}, ... each
     * holding {@code "content of <name>\n"}. Fast enough for tens of thousands.
     */
    public synchronized List<String> addFiles(String parent, int count, String namePrefix) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            String name = namePrefix + i + ".txt";
            ids.add(create(parent, name, false, ("content of " + name + "\n").getBytes(StandardCharsets.UTF_8),
                    "text/plain").id);
        }
        return ids;
    }

    /** New content: new quickXorHash, eTag and modification time. */
    public synchronized void editContent(String itemId, byte[] content) {
        Node node = live(itemId);
        if (node.folder) throw new IllegalArgumentException("a folder has no content: " + itemId);
        node.content = content.clone();
        node.contentVersion++;
        changed(node);
    }

    public synchronized void editContent(String itemId, String text) {
        editContent(itemId, text.getBytes(StandardCharsets.UTF_8));
    }

    public synchronized void rename(String itemId, String newName) {
        Node node = live(itemId);
        if (node.parentId == null) throw new IllegalArgumentException("the root cannot be renamed");
        Node parent = live(node.parentId);
        checkFreeName(parent, newName, node.id);
        parent.childNames.remove(lower(node.name));
        node.name = newName;
        parent.childNames.put(lower(newName), node.id);
        changed(node);
    }

    /** Moves an item (and its subtree) under another folder of the same drive. */
    public synchronized void move(String itemId, String newParent) {
        Node node = live(itemId);
        Node target = parentNode(newParent);
        if (target.drive != node.drive) throw new IllegalArgumentException("moves stay within one drive");
        for (Node at = target; at != null; at = at.parentId == null ? null : items.get(at.parentId)) {
            if (at == node) throw new IllegalArgumentException("cannot move a folder into itself");
        }
        checkFreeName(target, node.name, node.id);
        Node old = live(node.parentId);
        old.children.remove(node.id);
        old.childNames.remove(lower(node.name));
        touchChain(old);
        node.parentId = target.id;
        target.children.add(node.id);
        target.childNames.put(lower(node.name), node.id);
        changed(node);
    }

    /** Deletes an item; a folder's whole subtree is reported deleted in the change feed. */
    public synchronized void delete(String itemId) {
        Node node = live(itemId);
        if (node.parentId == null) throw new IllegalArgumentException("the root cannot be deleted");
        Node parent = live(node.parentId);
        parent.children.remove(node.id);
        parent.childNames.remove(lower(node.name));
        touchChain(parent);
        List<Node> subtree = new ArrayList<>();
        collect(node, subtree);
        for (Node n : subtree.reversed()) {
            n.deleted = true;
            n.drive.byCreation.remove(n.createdSeq);
            stamp(n);
        }
    }

    public synchronized Optional<Item> item(String itemId) {
        Node n = items.get(itemId);
        if (n == null) return Optional.empty();
        return Optional.of(new Item(n.id, n.drive.id, Optional.ofNullable(n.parentId), n.name, n.folder,
                n.content == null ? new byte[0] : n.content.clone(), n.mimeType, n.deleted));
    }

    /** Page size of delta answers when the request has no {@code $top} (Graph's own default is larger). */
    public synchronized FakeGraph deltaPageSize(int size) {
        deltaPageSize = size;
        return this;
    }

    public synchronized FakeGraph sitesPageSize(int size) {
        sitesPageSize = size;
        return this;
    }

    public synchronized FakeGraph drivesPageSize(int size) {
        drivesPageSize = size;
        return this;
    }

    /** Where pre-authenticated download URLs point (another port on 127.0.0.1). */
    public URI downloadBaseUrl() {
        return URI.create("http://127.0.0.1:" + downloads.getAddress().getPort());
    }

    /** Requests the download server received, oldest first. */
    public List<RecordedRequest> downloadRequests() {
        return List.copyOf(downloadLog);
    }

    /** Graph's throttling answer: 429 {@code TooManyRequests} with {@code Retry-After}. */
    public static Reply tooManyRequests(int retryAfterSeconds) {
        return Reply.json(429, errorBody("TooManyRequests", "Too many requests.")).withHeader("Retry-After",
                Integer.toString(retryAfterSeconds));
    }

    /** Graph's 503 with {@code Retry-After}, which it also sends when throttling. */
    public static Reply serviceUnavailable(int retryAfterSeconds) {
        return Reply.json(503, errorBody("serviceNotAvailable", "The service is temporarily unavailable."))
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds));
    }

    @Override
    public void close() {
        downloads.stop(0);
        super.close();
    }

    // ---------------------------------------------------------------- auth

    @Override
    protected boolean authorized(RecordedRequest request) {
        Optional<String> header = request.header("authorization");
        if (header.isEmpty() || header.get().isBlank()) {
            refusal.set("Access token is empty.");
            return false;
        }
        String value = header.get();
        if (!value.regionMatches(true, 0, "Bearer ", 0, 7) || value.length() <= 7) {
            refusal.set("IDX14100: JWT is not well formed, there are no dots (.).");
            return false;
        }
        if (!validAccessToken.test(value.substring(7).strip())) {
            refusal.set("Lifetime validation failed, the token is expired.");
            return false;
        }
        return true;
    }

    @Override
    protected Reply unauthorized() {
        String message = Optional.ofNullable(refusal.get()).orElse("Access token validation failure.");
        refusal.remove();
        return Reply.json(401, errorBody("InvalidAuthenticationToken", message))
                .withHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri="
                        + "\"https://login.microsoftonline.com/common/oauth2/authorize\", "
                        + "client_id=\"00000003-0000-0000-c000-000000000000\"");
    }

    // ---------------------------------------------------------------- routes

    private Reply drives(RecordedRequest request) {
        List<String> seg = segments(request.path(), "/v1.0/drives/");
        synchronized (this) {
            Drive drive = drives.get(seg.getFirst());
            if (drive == null || drive.deleted) return notFound("The resource could not be found.");
            if (seg.size() == 1) return drive(drive);
            String what = String.join("/", seg.subList(1, seg.size()));
            if (what.equals("root")) return itemReply(drive.rootId);
            if (what.equals("root/delta")) return delta(drive, request);
            if (seg.size() >= 3 && seg.get(1).equals("items")) {
                Node node = items.get(seg.get(2));
                if (node == null || node.deleted || node.drive != drive) return notFound("Item not found");
                if (seg.size() == 3) return itemReply(node.id);
                if (seg.size() == 4 && seg.get(3).equals("content")) return content(node);
            }
            return badSegment(seg.getLast());
        }
    }

    private Reply sites(RecordedRequest request) {
        List<String> seg = segments(request.path(), "/v1.0/sites/");
        synchronized (this) {
            Site site = sites.get(seg.getFirst());
            if (site == null) return notFound("Requested site could not be found");
            if (seg.size() == 1) return Reply.json(200, siteJson(site).put("@odata.context",
                    apiBase() + "/$metadata#sites/$entity"));
            if (seg.size() == 2 && seg.get(1).equals("drive")) {
                Drive d = drives.get(site.drives.getFirst());
                return d.deleted ? notFound("The resource could not be found.") : drive(d);
            }
            if (seg.size() == 2 && seg.get(1).equals("drives")) return siteDrives(site, request);
            return badSegment(seg.getLast());
        }
    }

    private synchronized Reply searchSites(RecordedRequest request) {
        Map<String, String> q = query(request);
        String search = q.getOrDefault("search", "*");
        int top;
        int offset = 0;
        try {
            top = top(q, sitesPageSize);
        } catch (IllegalArgumentException e) {
            return error(400, "invalidRequest", e.getMessage());
        }
        if (q.containsKey("$skiptoken")) {
            Optional<String[]> skip = decode(q.get("$skiptoken"), "sites");
            if (skip.isEmpty()) return error(400, "invalidRequest", "The $skiptoken value is not valid.");
            offset = Integer.parseInt(skip.get()[1]);
        }
        String needle = search.replace("*", "").strip().toLowerCase(Locale.ROOT);
        List<Site> matching = sites.values().stream().filter(s -> needle.isEmpty()
                || (s.name != null && s.name.toLowerCase(Locale.ROOT).contains(needle))
                || s.displayName.toLowerCase(Locale.ROOT).contains(needle)).toList();
        ObjectNode body = JSON.createObjectNode().put("@odata.context", apiBase() + "/$metadata#sites");
        ArrayNode value = body.putArray("value");
        int end = Math.min(matching.size(), offset + top);
        for (Site s : matching.subList(Math.min(offset, matching.size()), end)) value.add(siteJson(s));
        if (end < matching.size()) {
            body.put("@odata.nextLink", apiBase() + "/sites?search=" + encodeQuery(search) + "&$top=" + top
                    + "&$skiptoken=" + encode("sites", Integer.toString(end)));
        }
        return Reply.json(200, body);
    }

    private Reply siteDrives(Site site, RecordedRequest request) {
        Map<String, String> q = query(request);
        int top;
        int offset = 0;
        try {
            top = top(q, drivesPageSize);
        } catch (IllegalArgumentException e) {
            return error(400, "invalidRequest", e.getMessage());
        }
        if (q.containsKey("$skiptoken")) {
            Optional<String[]> skip = decode(q.get("$skiptoken"), "drives");
            if (skip.isEmpty() || !skip.get()[2].equals(site.id)) {
                return error(400, "invalidRequest", "The $skiptoken value is not valid.");
            }
            offset = Integer.parseInt(skip.get()[1]);
        }
        List<Drive> live = site.drives.stream().map(drives::get).filter(d -> !d.deleted).toList();
        ObjectNode body = JSON.createObjectNode().put("@odata.context", apiBase() + "/$metadata#drives");
        ArrayNode value = body.putArray("value");
        int end = Math.min(live.size(), offset + top);
        for (Drive d : live.subList(Math.min(offset, live.size()), end)) value.add(driveJson(d));
        if (end < live.size()) {
            body.put("@odata.nextLink", apiBase() + "/sites/" + encodePath(site.id) + "/drives?$top=" + top
                    + "&$skiptoken=" + encode("drives", Integer.toString(end), site.id));
        }
        return Reply.json(200, body);
    }

    private synchronized Reply delta(Drive drive, RecordedRequest request) {
        Map<String, String> q = query(request);
        int top;
        try {
            top = top(q, deltaPageSize);
        } catch (IllegalArgumentException e) {
            return error(400, "invalidRequest", e.getMessage());
        }
        String tokenText = q.get("token");
        Token token;
        if (tokenText == null) {
            token = new Token('E', drive.id, seq, seq, 0, top);
        } else if (tokenText.equals("latest")) {
            ObjectNode body = JSON.createObjectNode().put("@odata.context", apiBase() + "/$metadata#Collection(driveItem)");
            body.putArray("value");
            body.put("@odata.deltaLink", deltaUrl(drive, new Token('L', drive.id, seq, seq, seq, top)));
            return Reply.json(200, body);
        } else {
            token = parseToken(tokenText);
            if (token == null || !token.driveId().equals(drive.id) || token.base() < drive.floor || token.base() > seq) {
                String fresh = apiBase() + "/drives/" + encodePath(drive.id) + "/root/delta";
                return Reply.json(410, errorBody("resyncChangesApplyDifferences", "Resync required. Replace any local"
                        + " items with the server's version (including deletes) if you're sure that the service was up"
                        + " to date with your local changes when you last sync'd. Upload any local changes that the"
                        + " server doesn't know about.")).withHeader("Location", fresh);
            }
            if (token.mode() == 'L') token = new Token('C', drive.id, token.base(), seq, token.base(), token.top());
            if (q.containsKey("$top")) token = new Token(token.mode(), drive.id, token.base(), token.upto(), token.after(), top);
        }
        NavigableMap<Long, String> source = token.mode() == 'E'
                ? drive.byCreation.subMap(token.after(), false, token.upto(), true)
                : drive.byChange.subMap(token.after(), false, token.upto(), true);
        ObjectNode body = JSON.createObjectNode().put("@odata.context", apiBase() + "/$metadata#Collection(driveItem)");
        ArrayNode value = body.putArray("value");
        long last = token.after();
        int n = 0;
        for (Map.Entry<Long, String> e : source.entrySet()) {
            if (n == token.top()) break;
            Node node = items.get(e.getValue());
            value.add(node.deleted ? deletedJson(node) : itemJson(node, true));
            last = e.getKey();
            n++;
        }
        boolean more = !source.tailMap(last, false).isEmpty();
        if (more) {
            body.put("@odata.nextLink", deltaUrl(drive, new Token(token.mode(), drive.id, token.base(), token.upto(),
                    last, token.top())));
        } else {
            body.put("@odata.deltaLink", deltaUrl(drive, new Token('L', drive.id, token.upto(), token.upto(),
                    token.upto(), token.top())));
        }
        return Reply.json(200, body);
    }

    private Reply content(Node node) {
        if (node.folder) return error(400, "invalidRequest", "Cannot download the content of a folder.");
        String auth = randomToken(48);
        tempauth.put(auth, node.id);
        String location = downloadBaseUrl() + "/_layouts/15/download.aspx?UniqueId=" + node.id
                + "&Translate=false&tempauth=" + auth + "&ApiVersion=2.0";
        return new Reply(302, Map.of("Location", location), "");
    }

    private void download(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), new ArrayList<>(v)));
            URI uri = exchange.getRequestURI();
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    Optional.ofNullable(uri.getRawQuery()), headers, requestBody, MissingNode.getInstance());
            downloadLog.add(request);
            Map<String, String> q = query(request);
            byte[] body;
            String type;
            int status;
            String disposition = null;
            synchronized (this) {
                String itemId = tempauth.get(q.getOrDefault("tempauth", ""));
                Node node = itemId == null ? null : items.get(itemId);
                if (!request.path().equals("/_layouts/15/download.aspx") || !request.method().equals("GET")) {
                    status = 404;
                    type = "text/plain";
                    body = "Not Found".getBytes(StandardCharsets.UTF_8);
                } else if (node == null || !node.id.equals(q.get("UniqueId"))) {
                    status = 401;
                    type = "application/json";
                    body = ("{\"error_description\":\"Invalid JWT token. The token is expired.\"}")
                            .getBytes(StandardCharsets.UTF_8);
                } else if (node.deleted || node.drive.deleted) {
                    status = 404;
                    type = "application/json";
                    body = JSON.writeValueAsBytes(errorBody("itemNotFound", "The file was deleted."));
                } else {
                    status = 200;
                    type = node.mimeType;
                    body = node.content;
                    disposition = "attachment; filename*=UTF-8''" + encodePath(node.name);
                }
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            if (disposition != null) exchange.getResponseHeaders().set("Content-Disposition", disposition);
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    // ---------------------------------------------------------------- JSON shapes

    private ObjectNode me() {
        ObjectNode me = JSON.createObjectNode();
        me.put("@odata.context", apiBase() + "/$metadata#users/$entity");
        me.put("id", "48d31887-5fad-4d73-a9f5-3c356e68a038");
        me.put("displayName", "Alice Example");
        me.put("givenName", "Alice");
        me.put("surname", "Example");
        me.put("mail", "alice@" + tenant + ".onmicrosoft.com");
        me.put("userPrincipalName", "alice@" + tenant + ".onmicrosoft.com");
        return me;
    }

    private synchronized Reply drive(Drive d) {
        return Reply.json(200, driveJson(d).put("@odata.context", apiBase() + "/$metadata#drives/$entity"));
    }

    private ObjectNode driveJson(Drive d) {
        ObjectNode j = JSON.createObjectNode();
        j.put("createdDateTime", d.created.toString());
        j.put("description", "");
        j.put("id", d.id);
        j.put("lastModifiedDateTime", items.get(d.rootId).modified.toString());
        j.put("name", d.name);
        j.put("webUrl", d.webUrl);
        j.put("driveType", d.driveType);
        j.putObject("createdBy").putObject("user").put("displayName", "System Account");
        ObjectNode owner = j.putObject("owner");
        if (d.siteId == null) {
            owner.putObject("user").put("email", "alice@" + tenant + ".onmicrosoft.com")
                    .put("id", "48d31887-5fad-4d73-a9f5-3c356e68a038").put("displayName", "Alice Example");
        } else {
            owner.putObject("group").put("email", "site@" + tenant + ".onmicrosoft.com")
                    .put("id", UUID.nameUUIDFromBytes(d.siteId.getBytes(StandardCharsets.UTF_8)).toString())
                    .put("displayName", sites.get(d.siteId).displayName + " Owners");
        }
        long used = 0;
        for (String id : d.byCreation.values()) {
            Node n = items.get(id);
            if (!n.folder) used += n.content.length;
        }
        long total = 1L << 40;
        j.putObject("quota").put("deleted", 0).put("remaining", total - used).put("state", "normal")
                .put("total", total).put("used", used);
        return j;
    }

    private ObjectNode siteJson(Site s) {
        ObjectNode j = JSON.createObjectNode();
        j.put("createdDateTime", s.created.toString());
        j.put("id", s.id);
        j.put("lastModifiedDateTime", s.created.toString());
        if (s.name == null) j.putNull("name");
        else j.put("name", s.name);
        j.put("webUrl", s.webUrl);
        j.put("displayName", s.displayName);
        if (s.name == null) j.putObject("root");
        j.putObject("siteCollection").put("hostname", hostname);
        return j;
    }

    private synchronized Reply itemReply(String itemId) {
        ObjectNode j = itemJson(items.get(itemId), false);
        j.put("@odata.context", apiBase() + "/$metadata#drives('" + items.get(itemId).drive.id + "')/items/$entity");
        return Reply.json(200, j);
    }

    /** A live item; {@code inDelta} leaves out what OneDrive for Business's delta leaves out (cTag). */
    private ObjectNode itemJson(Node n, boolean inDelta) {
        ObjectNode j = JSON.createObjectNode();
        j.put("@odata.type", "#microsoft.graph.driveItem");
        j.put("createdDateTime", n.created.toString());
        j.put("eTag", "\"{" + n.etagGuid + "}," + n.etagVersion + "\"");
        j.put("id", n.id);
        j.put("lastModifiedDateTime", n.modified.toString());
        j.put("name", n.name);
        j.put("webUrl", webUrl(n));
        if (!inDelta) j.put("cTag", "\"c:{" + n.etagGuid + "}," + n.contentVersion + "\"");
        j.put("size", size(n));
        j.putObject("createdBy").putObject("user").put("displayName", "Alice Example");
        j.putObject("lastModifiedBy").putObject("user").put("displayName", "Alice Example");
        ObjectNode parent = j.putObject("parentReference");
        parent.put("driveType", n.drive.driveType).put("driveId", n.drive.id);
        if (n.parentId != null) parent.put("id", n.parentId);
        j.putObject("fileSystemInfo").put("createdDateTime", n.created.toString())
                .put("lastModifiedDateTime", n.modified.toString());
        if (n.folder) {
            j.putObject("folder").put("childCount", n.children.size());
        } else {
            ObjectNode file = j.putObject("file");
            file.put("mimeType", n.mimeType);
            file.putObject("hashes").put("quickXorHash", quickXorHash(n.content));
        }
        if (n.parentId == null) j.putObject("root");
        return j;
    }

    private ObjectNode deletedJson(Node n) {
        ObjectNode j = JSON.createObjectNode();
        j.put("@odata.type", "#microsoft.graph.driveItem");
        j.put("id", n.id);
        j.put("lastModifiedDateTime", n.modified.toString());
        ObjectNode parent = j.putObject("parentReference");
        parent.put("driveType", n.drive.driveType).put("driveId", n.drive.id).put("id", n.drive.rootId);
        if (n.folder) j.putObject("folder").put("childCount", 0);
        else j.putObject("file");
        j.putObject("deleted").put("state", "deleted");
        return j;
    }

    private long size(Node n) {
        if (!n.folder) return n.content.length;
        long total = 0;
        List<Node> all = new ArrayList<>();
        collect(n, all);
        for (Node c : all) if (!c.folder) total += c.content.length;
        return total;
    }

    private String webUrl(Node n) {
        List<String> path = new ArrayList<>();
        for (Node at = n; at.parentId != null; at = items.get(at.parentId)) path.add(encodePath(at.name));
        StringBuilder url = new StringBuilder(n.drive.webUrl);
        for (String p : path.reversed()) url.append('/').append(p);
        return url.toString();
    }

    private static ObjectNode errorBody(String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code).put("message", message);
        error.putObject("innerError").put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("request-id", UUID.randomUUID().toString())
                .put("client-request-id", UUID.randomUUID().toString());
        return body;
    }

    private static Reply error(int status, String code, String message) {
        return Reply.json(status, errorBody(code, message));
    }

    private static Reply notFound(String message) {
        return error(404, "itemNotFound", message);
    }

    private static Reply badSegment(String segment) {
        return error(400, "BadRequest", "Resource not found for the segment '" + segment + "'.");
    }

    // ---------------------------------------------------------------- tree bookkeeping

    private String addDriveTo(Site site, String name, String webUrl) {
        Drive d = newDrive(name, "documentLibrary", webUrl, site.id);
        site.drives.add(d.id);
        return d.id;
    }

    private Drive newDrive(String name, String driveType, String webUrl, String siteId) {
        String id = "b!" + randomToken(64);
        Drive d = new Drive(id, name, driveType, webUrl, siteId, now());
        drives.put(id, d);
        Node root = new Node(itemId(), d, true, "root", null, now(), UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
        items.put(root.id, root);
        d.rootId = root.id;
        root.createdSeq = ++seq;
        d.byCreation.put(root.createdSeq, root.id);
        stamp(root);
        return d;
    }

    private Node create(String parent, String name, boolean folder, byte[] content, String mimeType) {
        Node p = parentNode(parent);
        checkFreeName(p, name, null);
        Node n = new Node(itemId(), p.drive, folder, name, p.id, now(), UUID.randomUUID().toString().toUpperCase(Locale.ROOT));
        if (!folder) {
            n.content = content.clone();
            n.mimeType = mimeType;
        }
        items.put(n.id, n);
        p.children.add(n.id);
        p.childNames.put(lower(name), n.id);
        n.createdSeq = ++seq;
        n.drive.byCreation.put(n.createdSeq, n.id);
        changed(n);
        return n;
    }

    /** The item changed: its ancestors first (their eTags change too), then the item itself. */
    private void changed(Node n) {
        if (n.parentId != null) touchChain(items.get(n.parentId));
        stamp(n);
    }

    private void touchChain(Node from) {
        List<Node> chain = new ArrayList<>();
        for (Node at = from; at != null; at = at.parentId == null ? null : items.get(at.parentId)) chain.add(at);
        for (Node at : chain.reversed()) stamp(at);
    }

    private void stamp(Node n) {
        if (n.changeSeq != 0) n.drive.byChange.remove(n.changeSeq);
        n.changeSeq = ++seq;
        n.drive.byChange.put(n.changeSeq, n.id);
        n.etagVersion++;
        n.modified = now();
    }

    private void collect(Node n, List<Node> into) {
        into.add(n);
        for (String c : n.children) collect(items.get(c), into);
    }

    private Node parentNode(String parent) {
        Drive d = drives.get(parent);
        return d != null ? live(d.rootId) : liveFolder(parent);
    }

    private Node liveFolder(String id) {
        Node n = live(id);
        if (!n.folder) throw new IllegalArgumentException("not a folder: " + id);
        return n;
    }

    private Node live(String id) {
        Node n = items.get(id);
        if (n == null || n.deleted) throw new IllegalArgumentException("no such item: " + id);
        if (n.drive.deleted) throw new IllegalArgumentException("the item's drive was deleted: " + id);
        return n;
    }

    private void checkFreeName(Node parent, String name, String except) {
        String holder = parent.childNames.get(lower(name));
        if (holder != null && !holder.equals(except)) {
            throw new IllegalArgumentException("nameAlreadyExists: " + name + " in " + parent.id);
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private Drive driveById(String id) {
        Drive d = drives.get(id);
        if (d == null) throw new IllegalArgumentException("no such drive: " + id);
        return d;
    }

    private Site site(String id) {
        Site s = sites.get(id);
        if (s == null) throw new IllegalArgumentException("no such site: " + id);
        return s;
    }

    private String itemId() {
        StringBuilder b = new StringBuilder("01");
        for (int i = 0; i < 32; i++) b.append(BASE32.charAt(random.nextInt(32)));
        return b.toString();
    }

    private String randomToken(int length) {
        byte[] raw = new byte[length];
        random.nextBytes(raw);
        return B64URL.encodeToString(raw).substring(0, length);
    }

    private static byte[] bytes(Random random) {
        byte[] raw = new byte[16];
        random.nextBytes(raw);
        return raw;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String mimeTypeOf(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int dot = lower.lastIndexOf('.');
        String ext = dot < 0 ? "" : lower.substring(dot + 1);
        return switch (ext) {
            case "txt" -> "text/plain";
            case "md" -> "text/markdown";
            case "csv" -> "text/csv";
            case "html", "htm" -> "text/html";
            case "json" -> "application/json";
            case "pdf" -> "application/pdf";
            case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
            case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            case "pptx" -> "application/vnd.openxmlformats-officedocument.presentationml.presentation";
            case "png" -> "image/png";
            case "jpg", "jpeg" -> "image/jpeg";
            default -> "application/octet-stream";
        };
    }

    /**
     * OneDrive's QuickXorHash: the bytes XORed into a 160-bit ring, each one 11 bits further on,
     * then the length (64-bit little-endian) XORed into the last 64 bits; base64.
     */
    static String quickXorHash(byte[] data) {
        byte[] ring = new byte[20];
        int bit = 0;
        for (byte b : data) {
            int value = b & 0xff;
            for (int k = 0; k < 8; k++) {
                if ((value >> k & 1) != 0) {
                    int at = (bit + k) % 160;
                    ring[at >> 3] ^= (byte) (1 << (at & 7));
                }
            }
            bit = (bit + 11) % 160;
        }
        long length = data.length;
        for (int i = 0; i < 8; i++) ring[12 + i] ^= (byte) (length >>> (8 * i));
        return Base64.getEncoder().encodeToString(ring);
    }

    // ---------------------------------------------------------------- tokens and URLs

    private String deltaUrl(Drive drive, Token t) {
        String raw = "d1;" + t.mode() + ";" + t.driveId() + ";" + t.base() + ";" + t.upto() + ";" + t.after() + ";" + t.top();
        return apiBase() + "/drives/" + encodePath(drive.id) + "/root/delta?token="
                + B64URL.encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static Token parseToken(String text) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split(";", -1);
            if (p.length != 7 || !p[0].equals("d1") || p[1].length() != 1 || "ECL".indexOf(p[1].charAt(0)) < 0) return null;
            return new Token(p[1].charAt(0), p[2], Long.parseLong(p[3]), Long.parseLong(p[4]), Long.parseLong(p[5]),
                    Integer.parseInt(p[6]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String encode(String kind, String... values) {
        return B64URL.encodeToString((kind + ";" + String.join(";", values)).getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<String[]> decode(String token, String kind) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split(";", -1);
            if (!p[0].equals(kind)) return Optional.empty();
            Integer.parseInt(p[1]);
            return Optional.of(p);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static int top(Map<String, String> q, int fallback) {
        String value = q.get("$top");
        if (value == null) return fallback;
        try {
            int top = Integer.parseInt(value);
            if (top < 1) throw new NumberFormatException();
            return top;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for query option $top.");
        }
    }

    private static Map<String, String> query(RecordedRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : request.query().orElse("").split("&")) {
            if (pair.isEmpty()) continue;
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }

    private static List<String> segments(String rawPath, String prefix) {
        List<String> out = new ArrayList<>();
        for (String s : rawPath.substring(prefix.length()).split("/")) {
            if (!s.isEmpty()) out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        if (out.isEmpty()) out.add("");
        return out;
    }

    private static String encodePath(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%21", "!")
                .replace("%2C", ",");
    }

    private static String encodeQuery(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2A", "*");
    }
}
