package io.catchment.testsupport;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.poi.poifs.filesystem.DirectoryEntry;
import org.apache.poi.poifs.filesystem.POIFSFileSystem;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextBox;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbookType;
import org.apache.poi.xwpf.usermodel.XWPFDocument;

/** Builds every test file in code (POI, PDFBox, Java2D), so no binary fixture is committed. */
public final class Fixtures {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Font LIBERATION_SANS = bundledFont();

    private final Path dir;

    public Fixtures(Path dir) {
        this.dir = dir;
    }

    public Path text(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    public Path bytes(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    public Path docx(String name, String... paragraphs) throws IOException {
        try (XWPFDocument doc = new XWPFDocument(); OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            for (String p : paragraphs) doc.createParagraph().createRun().setText(p);
            doc.write(out);
        }
        return dir.resolve(name);
    }

    public Path pptx(String name, String... slideTexts) throws IOException {
        try (XMLSlideShow show = new XMLSlideShow(); OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            for (String text : slideTexts) {
                XSLFSlide slide = show.createSlide();
                XSLFTextBox box = slide.createTextBox();
                box.setAnchor(new java.awt.Rectangle(50, 50, 500, 100));
                box.setText(text);
            }
            show.write(out);
        }
        return dir.resolve(name);
    }

    /**
     * A workbook with sheet "People" (name, age, next year = age + 1 as a formula, never cached)
     * and sheet "Orders" (a date-formatted cell and a product formula). {@code macroEnabled} saves
     * it as an XLSM (macro-enabled content type, no VBA project).
     */
    public Path workbook(String name, boolean macroEnabled, boolean withOrders) throws IOException {
        try (XSSFWorkbook wb = new XSSFWorkbook(macroEnabled ? XSSFWorkbookType.XLSM : XSSFWorkbookType.XLSX);
                OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            var people = wb.createSheet("People");
            row(people, 0, "name", "age", "next year");
            row(people, 1, "Ada", 36);
            people.getRow(1).createCell(2).setCellFormula("B2+1");
            row(people, 2); // empty row, skipped
            row(people, 4, "Grace", 45);
            people.getRow(4).createCell(2).setCellFormula("B5+1");
            if (withOrders) {
                var orders = wb.createSheet("Orders");
                row(orders, 0, "id", "placed", "qty", "price", "total");
                var r = orders.createRow(1);
                r.createCell(0).setCellValue(7);
                var date = r.createCell(1);
                date.setCellValue(java.time.LocalDate.of(2024, 5, 1));
                var style = wb.createCellStyle();
                style.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("yyyy-mm-dd"));
                date.setCellStyle(style);
                r.createCell(2).setCellValue(3);
                r.createCell(3).setCellValue(2.5);
                r.createCell(4).setCellFormula("C2*D2");
            }
            wb.write(out);
        }
        return dir.resolve(name);
    }

    private static void row(org.apache.poi.ss.usermodel.Sheet sheet, int index, Object... values) {
        var row = sheet.createRow(index);
        for (int i = 0; i < values.length; i++) {
            if (values[i] instanceof Number n) row.createCell(i).setCellValue(n.doubleValue());
            else row.createCell(i).setCellValue(values[i].toString());
        }
    }

    /** A text PDF with one page per entry of {@code pages}, and a title and author. */
    public Path pdf(String name, String title, String author, List<String> pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(title);
            info.setAuthor(author);
            var font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (String text : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 14);
                    cs.newLineAtOffset(72, 760);
                    cs.showText(text);
                    cs.endText();
                }
            }
            doc.save(dir.resolve(name).toFile());
        }
        return dir.resolve(name);
    }

    /** A "scanned" PDF: each page is only an image of the given lines of text, no text layer. */
    public Path scannedPdf(String name, List<List<String>> pages) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            for (List<String> lines : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                BufferedImage image = textImage(lines, 1240, 1754, 40);
                PDImageXObject xobject = LosslessFactory.createFromImage(doc, image);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.drawImage(xobject, 0, 0, PDRectangle.A4.getWidth(), PDRectangle.A4.getHeight());
                }
            }
            doc.save(dir.resolve(name).toFile());
        }
        return dir.resolve(name);
    }

    public Path image(String name, String formatName, List<String> lines) throws IOException {
        BufferedImage image = textImage(lines, 1400, 120 + 80 * lines.size(), 40);
        ImageIO.write(image, formatName, dir.resolve(name).toFile());
        return dir.resolve(name);
    }

    /**
     * Black text on white in Liberation Sans (the font PDFBox bundles, so the images are the same
     * on every machine, whatever fonts it has); a line may hold columns separated by "|".
     */
    public static BufferedImage textImage(List<String> lines, int width, int height, int fontSize) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(LIBERATION_SANS.deriveFont(Font.PLAIN, (float) fontSize));
            int y = 100;
            for (String line : lines) {
                String[] columns = line.split("\\|");
                for (int c = 0; c < columns.length; c++) g.drawString(columns[c].strip(), 80 + c * 380, y);
                y += fontSize * 2;
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static Font bundledFont() {
        try (var in = PDDocument.class.getResourceAsStream("/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf")) {
            return Font.createFont(Font.TRUETYPE_FONT, java.util.Objects.requireNonNull(in, "PDFBox's bundled font"));
        } catch (IOException | java.awt.FontFormatException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path rtf(String name, String... paragraphs) throws IOException {
        StringBuilder rtf = new StringBuilder("{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0\\fswiss Helvetica;}}\\f0\\fs24\n");
        for (String p : paragraphs) rtf.append("\\pard ").append(p).append("\\par\n");
        return text(name, rtf.append("}\n").toString());
    }

    /**
     * A minimal Outlook .msg that POI's HSMF (and so Tika) reads: the MAPI string properties as
     * {@code __substg1.0_<tag>001F} UTF-16LE streams, and {@code __properties_version1.0} with the
     * 32-byte top-level header plus one fixed-size property (PR_CLIENT_SUBMIT_TIME, a FILETIME).
     */
    public Path msg(String name, String subject, String fromName, String fromEmail, String to, String body, Instant sent)
            throws IOException {
        try (POIFSFileSystem fs = new POIFSFileSystem()) {
            DirectoryEntry root = fs.getRoot();
            mapiString(root, "001A", "IPM.Note");
            mapiString(root, "0037", subject);
            mapiString(root, "1000", body);
            mapiString(root, "0C1A", fromName);
            mapiString(root, "0C1F", fromEmail);
            mapiString(root, "0E04", to);
            ByteBuffer props = ByteBuffer.allocate(32 + 16).order(ByteOrder.LITTLE_ENDIAN);
            props.position(32);
            props.putInt(0x00390040); // PR_CLIENT_SUBMIT_TIME, PT_SYSTIME
            props.putInt(0x6); // readable | writable
            props.putLong((sent.toEpochMilli() + 11_644_473_600_000L) * 10_000L); // FILETIME: 100 ns since 1601
            root.createDocument("__properties_version1.0", new ByteArrayInputStream(props.array()));
            try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
                fs.writeFilesystem(out);
            }
        }
        return dir.resolve(name);
    }

    private static void mapiString(DirectoryEntry root, String propertyId, String value) throws IOException {
        root.createDocument("__substg1.0_" + propertyId + "001F",
                new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_16LE)));
    }
}
