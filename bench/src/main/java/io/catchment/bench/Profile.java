package io.catchment.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder recording (the JDK's "profile" settings) around one part of a benchmark,
 * summarised as markdown: which parts of the code the sampled threads were in.
 *
 * <p>Two kinds of samples: {@code jdk.ExecutionSample} (a thread running Java code) and
 * {@code jdk.NativeMethodSample} (a thread inside a native method, e.g. ONNX Runtime's inference,
 * or waiting in a native socket or poll call). Each sample is put in the first category found
 * walking its stack from the top frame down, so "ONNX model" counts the Java frames that called
 * into the native model as well.
 */
final class Profile implements AutoCloseable {
    /** Package prefixes to a category, in the order a stack is matched (top frame first, then callers). */
    private static final Map<String, String> CATEGORIES = new LinkedHashMap<>();

    static {
        CATEGORIES.put("ai.onnxruntime", "ONNX model (inference)");
        CATEGORIES.put("ai.djl.huggingface", "model tokenizer (word-pieces)");
        CATEGORIES.put("dev.langchain4j.model.embedding.onnx", "ONNX model (langchain4j glue)");
        CATEGORIES.put("io.catchment.embed", "embedding wrapper (windows, pooling)");
        CATEGORIES.put("com.knuddels.jtokkit", "cl100k tokenizer (chunking)");
        CATEGORIES.put("io.catchment.ingest.chunk", "chunker");
        CATEGORIES.put("org.apache.pdfbox", "parsing: PDFBox");
        CATEGORIES.put("org.apache.fontbox", "parsing: PDFBox");
        CATEGORIES.put("org.apache.poi", "parsing: POI (DOCX)");
        CATEGORIES.put("org.apache.xmlbeans", "parsing: POI (DOCX)");
        CATEGORIES.put("org.apache.commons.csv", "parsing: CSV");
        CATEGORIES.put("org.apache.tika", "parsing: Tika (detection, handlers)");
        CATEGORIES.put("org.ccil.cowan.tagsoup", "parsing: HTML");
        CATEGORIES.put("io.catchment.ingest.parse", "parsing: Catchment glue");
        CATEGORIES.put("org.apache.lucene", "Lucene index");
        CATEGORIES.put("org.h2", "H2 database");
        CATEGORIES.put("com.zaxxer.hikari", "JDBC pool");
        CATEGORIES.put("org.jdbi", "JDBI");
        CATEGORIES.put("com.github.kagkarlsson", "job queue (db-scheduler)");
        CATEGORIES.put("org.eclipse.jetty", "HTTP server (Jetty)");
        CATEGORIES.put("io.javalin", "HTTP server (Javalin)");
        CATEGORIES.put("jdk.internal.net.http", "HTTP client (benchmark's uploads and polls)");
        CATEGORIES.put("java.net.http", "HTTP client (benchmark's uploads and polls)");
        CATEGORIES.put("com.fasterxml.jackson", "JSON");
        CATEGORIES.put("io.catchment.ingest", "ingestion pipeline (other)");
        CATEGORIES.put("io.catchment", "Catchment (other)");
        CATEGORIES.put("jdk.jfr", "JFR itself");
    }

    private final Recording recording;

    Profile() {
        try {
            recording = new Recording(Configuration.getConfiguration("profile"));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("JFR profile settings: " + e, e);
        }
        recording.start();
    }

    /** Stops the recording and returns the summary in markdown. */
    String stopAndSummarise(int topFrames) throws IOException {
        recording.stop();
        Path file = Files.createTempFile("catchment-bench-", ".jfr");
        try {
            recording.dump(file);
            return summarise(RecordingFile.readAllEvents(file), topFrames);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String summarise(List<RecordedEvent> events, int topFrames) {
        Map<String, Integer> javaByCategory = new HashMap<>();
        Map<String, Integer> nativeByCategory = new HashMap<>();
        Map<String, Integer> topJavaFrames = new HashMap<>();
        int java = 0;
        int nativeSamples = 0;
        double jvmCpu = 0;
        double machineCpu = 0;
        int cpuEvents = 0;
        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.CPULoad")) {
                jvmCpu += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
                machineCpu += e.getFloat("machineTotal");
                cpuEvents++;
                continue;
            }
            boolean isJava = type.equals("jdk.ExecutionSample");
            if (!isJava && !type.equals("jdk.NativeMethodSample")) continue;
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) continue;
            String category = categorise(stack);
            if (!isJava && !category.startsWith("ONNX") && !category.startsWith("model tokenizer")) {
                category = "waiting in native code (sockets, polls; idle threads)";
            }
            if (isJava) {
                java++;
                javaByCategory.merge(category, 1, Integer::sum);
                RecordedFrame top = stack.getFrames().getFirst();
                topJavaFrames.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
            } else {
                nativeSamples++;
                nativeByCategory.merge(category, 1, Integer::sum);
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "JFR (settings \"profile\"): %,d Java execution samples, %,d native-method"
                + " samples. A sample counts under the first category found from the top of its stack.%n%n", java, nativeSamples));
        if (cpuEvents > 0) {
            int cores = Runtime.getRuntime().availableProcessors();
            out.append(String.format(Locale.ROOT, "CPU (jdk.CPULoad, %d readings): this JVM used %.2f of %d cores on average"
                    + " (ONNX Runtime's own native threads included), the whole machine %.2f.%n%n", cpuEvents,
                    cores * jvmCpu / cpuEvents, cores, cores * machineCpu / cpuEvents));
        }
        out.append("| Category | Java samples | share | native samples | share |\n|---|---:|---:|---:|---:|\n");
        final int javaTotal = java;
        final int nativeTotal = nativeSamples;
        Map<String, Integer> all = new HashMap<>(javaByCategory);
        nativeByCategory.forEach((k, v) -> all.merge(k, 0, Integer::sum));
        all.keySet().stream()
                .sorted((a, b) -> Integer.compare(javaByCategory.getOrDefault(b, 0) + nativeByCategory.getOrDefault(b, 0),
                        javaByCategory.getOrDefault(a, 0) + nativeByCategory.getOrDefault(a, 0)))
                .forEach(k -> out.append(String.format(Locale.ROOT, "| %s | %,d | %.1f%% | %,d | %.1f%% |%n", k,
                        javaByCategory.getOrDefault(k, 0), share(javaByCategory.getOrDefault(k, 0), javaTotal),
                        nativeByCategory.getOrDefault(k, 0), share(nativeByCategory.getOrDefault(k, 0), nativeTotal))));
        out.append(String.format(Locale.ROOT, "%nHottest Java frames (self time, top %d):%n%n| Frame | samples | share |%n|---|---:|---:|%n", topFrames));
        int total = java;
        topJavaFrames.entrySet().stream().sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(topFrames)
                .forEach(en -> out.append(String.format(Locale.ROOT, "| `%s` | %,d | %.1f%% |%n", en.getKey(), en.getValue(),
                        share(en.getValue(), total))));
        out.append('\n');
        return out.toString();
    }

    private static double share(int n, int of) {
        return of == 0 ? 0 : 100.0 * n / of;
    }

    private static String categorise(RecordedStackTrace stack) {
        for (RecordedFrame frame : stack.getFrames()) {
            if (frame.getMethod() == null || frame.getMethod().getType() == null) continue;
            String type = frame.getMethod().getType().getName();
            for (var c : CATEGORIES.entrySet()) {
                if (type.startsWith(c.getKey())) return c.getValue();
            }
        }
        String top = stack.getFrames().getFirst().getMethod().getType().getName();
        int dot = top.lastIndexOf('.');
        return "other: " + (dot > 0 ? top.substring(0, dot) : top);
    }

    @Override
    public void close() {
        recording.close();
    }
}
