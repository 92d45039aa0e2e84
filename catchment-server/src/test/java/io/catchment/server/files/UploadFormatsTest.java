package io.catchment.server.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.catchment.server.support.Client;
import io.catchment.server.support.Files;
import io.catchment.server.support.Reply;
import io.catchment.server.support.TestServer;
import io.catchment.testsupport.DatabaseKind;
import io.catchment.testsupport.Fixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every format Catchment ingests, generated here, uploaded through the API, followed to READY,
 * and checked by its parsed text (through the signed link) and its chunks.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class UploadFormatsTest {
    @Parameter
    DatabaseKind kind;

    @TempDir
    Path dir;

    TestServer server;
    Client alice;
    Fixtures make;

    @BeforeEach
    void start() {
        server = TestServer.start(kind, dir.resolve("server"));
        alice = server.newOrganization("Acme").asCustomer("alice");
        make = new Fixtures(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    record Upload(long id, String initialStatus) {}

    Upload upload(Path file, String query) throws Exception {
        Reply r = alice.upload("/uploadfile" + query, "file", file.getFileName().toString(), java.nio.file.Files.readAllBytes(file));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return new Upload(r.json().get("id").asLong(), r.json().get("sync_status").asText());
    }

    String parsedText(long id) throws Exception {
        Files.awaitReady(alice, id);
        String url = alice.get("/parsed_file/" + id).json().get("presigned_url").asText();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    List<String> chunks(long id) {
        return server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT content FROM file_chunks WHERE file_id = :id ORDER BY chunk_index").bind("id", id)
                .mapTo(String.class).list());
    }

    List<JsonNode> chunkMetadata(long id) {
        return server.catchment().database().jdbi().withHandle(h -> h.createQuery(
                "SELECT metadata FROM file_chunks WHERE file_id = :id ORDER BY chunk_index").bind("id", id)
                .map((rs, ctx) -> io.catchment.json.Json.read(rs.getString(1))).list());
    }

    @Test
    void textFormats() throws Exception {
        assertThat(parsedText(upload(make.text("a.txt", "Plain text about otters."), "").id()))
                .isEqualTo("Plain text about otters.");
        assertThat(parsedText(upload(make.text("b.md", "# Heading\n\nMarkdown about *beavers*."), "").id()))
                .contains("Heading").contains("beavers");
        String html = parsedText(upload(make.text("c.html", "<html><head><style>p{color:red}</style>"
                + "<script>alert('x')</script></head><body><h1>Herons</h1><p>Visible text.</p></body></html>"), "").id());
        assertThat(html).contains("Herons").contains("Visible text.").doesNotContain("alert").doesNotContain("color:red");
        assertThat(parsedText(upload(make.rtf("d.rtf", "Rich text about lynxes."), "").id())).contains("Rich text about lynxes.");
        assertThat(parsedText(upload(make.docx("e.docx", "Word paragraph one.", "Paragraph two about moose."), "").id()))
                .contains("Word paragraph one.").contains("Paragraph two about moose.");
        assertThat(parsedText(upload(make.pptx("f.pptx", "Slide about wolves", "Slide about foxes"), "").id()))
                .contains("Slide about wolves").contains("Slide about foxes");
    }

    @Test
    void tablesAndJsonFollowCarbonsRules() throws Exception {
        long csv = upload(make.text("people.csv", "name,age,city\nAda,36,London\n\"Lovelace, A\",37,\"Old\nTown\"\nGrace,45,NYC\n"),
                "?split_rows=true").id();
        assertThat(parsedText(csv)).contains("name: Ada, age: 36, city: London")
                .contains("name: Lovelace, A, age: 37, city: Old Town");
        assertThat(chunks(csv)).containsExactly("name: Ada, age: 36, city: London",
                "name: Lovelace, A, age: 37, city: Old Town", "name: Grace, age: 45, city: NYC");

        long tsv = upload(make.text("t.tsv", "k\tv\na\t1\nb\t2\n"), "").id();
        assertThat(parsedText(tsv)).contains("k: a, v: 1").contains("k: b, v: 2");

        long xlsx = upload(make.workbook("book.xlsx", false, false), "?max_items_per_chunk=1").id();
        assertThat(parsedText(xlsx)).contains("name: Ada, age: 36, next year: 37").contains("name: Grace, age: 45, next year: 46");
        assertThat(chunks(xlsx)).hasSize(2);
        long xlsm = upload(make.workbook("macro.xlsm", true, true), "").id();
        assertThat(parsedText(xlsm)).contains("[People] name: Ada").contains("[Orders] id: 7");

        long json = upload(make.text("data.json", "[{\"a\":{\"b\":[{\"c\":1}]}},{\"a\":2},{\"a\":3},{\"a\":4},{\"a\":5}]"),
                "?max_items_per_chunk=2").id();
        assertThat(parsedText(json)).contains("a.b.0.c: 1").contains("a: 5");
        assertThat(chunks(json)).hasSize(3);
    }

    @Test
    void pdfPagesAndEmail() throws Exception {
        long pdf = upload(make.pdf("report.pdf", "Quarterly report", "Ada", List.of(
                "First page about revenue.", "Second page about costs.", "Third page about outlook.")),
                "?set_page_as_boundary=true").id();
        assertThat(parsedText(pdf)).contains("First page about revenue.").contains("Third page about outlook.");
        List<Integer> pages = new ArrayList<>();
        chunkMetadata(pdf).forEach(m -> m.get("page_numbers").forEach(p -> pages.add(p.asInt())));
        assertThat(pages).containsExactly(1, 2, 3);

        long eml = upload(make.text("mail.eml", "From: Ada <ada@example.com>\r\nTo: bob@example.com\r\n"
                + "Subject: Lunch plans\r\nDate: Tue, 1 Oct 2024 10:00:00 +0000\r\n\r\nShall we meet at noon?\r\n"), "").id();
        assertThat(parsedText(eml)).contains("Subject: Lunch plans").contains("Shall we meet at noon?");
        long msg = upload(make.msg("note.msg", "Budget review", "Grace", "grace@example.com", "team@example.com",
                "Please review the budget.", Instant.parse("2024-10-01T10:00:00Z")), "").id();
        assertThat(parsedText(msg)).contains("Subject: Budget review").contains("Please review the budget.");
    }

    @Test
    void imagesAndScansAreReadWithOcr() throws Exception {
        Upload png = upload(make.image("invoice.png", "png", List.of("Invoice 2931", "Total due 1250 EUR")), "?use_ocr=true");
        assertThat(png.initialStatus()).isIn("QUEUED_FOR_OCR", "SYNCING");
        assertThat(parsedText(png.id())).contains("Invoice 2931").contains("1250");
        Upload jpg = upload(make.image("receipt.jpg", "jpg", List.of("Receipt 4417")), "?use_ocr=true");
        assertThat(parsedText(jpg.id())).contains("Receipt 4417");
        Upload scan = upload(make.scannedPdf("scan.pdf", List.of(List.of("Scanned contract 8812"), List.of("Page two signed"))),
                "?use_ocr=true&set_page_as_boundary=true");
        assertThat(parsedText(scan.id())).contains("8812").contains("signed");
        assertThat(chunks(scan.id())).hasSize(2);
    }
}
