package io.catchment.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;

/**
 * A generated corpus of office-like files, the same for every run (fixed seed): DOCX (Apache
 * POI), PDF (PDFBox, text pages), HTML, Markdown and CSV in equal shares, dealt round robin.
 * The prose is {@link ProseChunks}' English-like sentences, so word-pieces per word are those of
 * real English text. Sizes are drawn per file:
 * <ul>
 *   <li>DOCX: 300–4,000 words in paragraphs of 40–160 words, with a heading every few paragraphs;
 *   <li>PDF: 1–8 pages of about 350 words;
 *   <li>HTML: 200–3,000 words in a page with a nav bar, headings and paragraphs;
 *   <li>Markdown: 200–3,000 words with headings and a bullet list;
 *   <li>CSV: 20–400 rows of 6 columns (id, date, region, product, amount, note).
 * </ul>
 */
final class Corpus {
    record File(String name, String format, byte[] content) {}

    static final String[] FORMATS = {"docx", "pdf", "html", "md", "csv"};
    private static final String[] REGIONS = {"North", "South", "East", "West", "Central"};
    private static final String[] PRODUCTS = {"widget", "gadget", "service plan", "licence", "support hours", "hardware kit"};

    private final ProseChunks prose;
    private final SplittableRandom random;

    Corpus(long seed) {
        this.prose = new ProseChunks(seed, 256);
        this.random = new SplittableRandom(seed + 1);
    }

    List<File> generate(int count) {
        List<File> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String format = FORMATS[i % FORMATS.length];
            String name = String.format(Locale.ROOT, "doc-%05d.%s", i, format);
            byte[] content = switch (format) {
                case "docx" -> docx(between(300, 4000));
                case "pdf" -> pdf(between(1, 8));
                case "html" -> html(between(200, 3000)).getBytes(StandardCharsets.UTF_8);
                case "md" -> markdown(between(200, 3000)).getBytes(StandardCharsets.UTF_8);
                case "csv" -> csv(between(20, 400)).getBytes(StandardCharsets.UTF_8);
                default -> throw new IllegalStateException(format);
            };
            files.add(new File(name, format, content));
        }
        return files;
    }

    private int between(int min, int max) {
        // Log-uniform: many small files, some large ones, as in real folders.
        return (int) Math.round(Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min))));
    }

    /** Sentences until {@code words} words. */
    private String paragraph(int words) {
        StringBuilder p = new StringBuilder();
        int n = 0;
        while (n < words) {
            String s = prose.sentence();
            if (!p.isEmpty()) p.append(' ');
            p.append(s);
            n += s.split(" ").length;
        }
        return p.toString();
    }

    private List<String> paragraphs(int words) {
        List<String> out = new ArrayList<>();
        int left = words;
        while (left > 0) {
            int n = Math.min(left, 40 + random.nextInt(121));
            out.add(paragraph(n));
            left -= n;
        }
        return out;
    }

    private String heading() {
        String s = prose.sentence();
        String[] w = s.replace(".", "").split(" ");
        return String.join(" ", java.util.Arrays.copyOf(w, Math.min(w.length, 5)));
    }

    private byte[] docx(int words) {
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            int i = 0;
            for (String text : paragraphs(words)) {
                if (i++ % 4 == 0) {
                    XWPFParagraph h = doc.createParagraph();
                    h.setStyle("Heading1");
                    var run = h.createRun();
                    run.setBold(true);
                    run.setText(heading());
                }
                doc.createParagraph().createRun().setText(text);
            }
            doc.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private byte[] pdf(int pages) {
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < pages; p++) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 10);
                    cs.setLeading(13);
                    cs.newLineAtOffset(50, 790);
                    int lines = 0;
                    for (String line : wrap(paragraph(350), 95)) {
                        cs.showText(line);
                        cs.newLine();
                        if (++lines >= 58) break;
                    }
                    cs.endText();
                }
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) line.append(' ');
            line.append(word);
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }

    private String html(int words) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(heading()).append("</title><style>body{font-family:sans-serif} nav a{margin:4px}</style></head>\n<body>")
                .append("<nav><a href=\"/\">Home</a><a href=\"/docs\">Docs</a><a href=\"/about\">About</a></nav>\n<main>");
        int i = 0;
        for (String p : paragraphs(words)) {
            if (i++ % 3 == 0) h.append("<h2>").append(heading()).append("</h2>\n");
            h.append("<p>").append(p).append("</p>\n");
        }
        return h.append("</main><footer>Generated for benchmarks</footer></body></html>\n").toString();
    }

    private String markdown(int words) {
        StringBuilder m = new StringBuilder("# ").append(heading()).append("\n\n");
        int i = 0;
        for (String p : paragraphs(words)) {
            if (i % 3 == 2) m.append("## ").append(heading()).append("\n\n");
            if (i % 5 == 4) {
                for (int b = 0; b < 3; b++) m.append("- ").append(prose.sentence()).append('\n');
                m.append('\n');
            }
            m.append(p).append("\n\n");
            i++;
        }
        return m.toString();
    }

    private String csv(int rows) {
        StringBuilder c = new StringBuilder("id,date,region,product,amount,note\n");
        for (int r = 0; r < rows; r++) {
            c.append(r + 1).append(',')
                    .append(String.format(Locale.ROOT, "2025-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28))).append(',')
                    .append(REGIONS[random.nextInt(REGIONS.length)]).append(',')
                    .append(PRODUCTS[random.nextInt(PRODUCTS.length)]).append(',')
                    .append(String.format(Locale.ROOT, "%.2f", random.nextDouble() * 5000)).append(',')
                    .append('"').append(prose.sentence().replace("\"", "")).append("\"\n");
        }
        return c.toString();
    }
}
