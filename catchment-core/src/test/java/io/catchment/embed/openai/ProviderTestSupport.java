package io.catchment.embed.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.catchment.embed.remote.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the OpenAI and Azure OpenAI tests share: a recording sleeper, token counts, vector checks. */
final class ProviderTestSupport {
    static final Encoding CL100K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private ProviderTestSupport() {}

    /** Records the waits between retries instead of sleeping through them. */
    static final class RecordingSleeper implements Sleeper {
        private final List<Duration> waits = new CopyOnWriteArrayList<>();

        @Override
        public void sleep(Duration duration) {
            waits.add(duration);
        }

        List<Duration> waits() {
            return List.copyOf(waits);
        }
    }

    static int tokens(String text) {
        return CL100K.countTokensOrdinary(text);
    }

    /** Ordinary prose-like text of {@code words} words drawn from a small vocabulary (seeded). */
    static String words(int words, long seed) {
        String[] vocabulary = ("river stone harvest lantern orchard copper meadow signal thunder violet anchor "
                + "compass glacier marble pepper saddle timber velvet window yellow").split(" ");
        Random random = new Random(seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) out.append(' ');
            out.append(vocabulary[random.nextInt(vocabulary.length)]);
        }
        return out.toString();
    }

    /** Three texts long enough that even a 256-dimension cut of their vectors keeps several words. */
    static List<String> sampleTexts() {
        return List.of(words(60, 1), words(60, 2) + " and a second voice", "Catchment " + words(60, 3));
    }

    static void assertSameVector(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        assertThat(actual).containsExactly(expected, within(2e-6f));
        assertThat(norm(actual)).isCloseTo(1.0, within(1e-5));
    }

    static double norm(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        return Math.sqrt(sum);
    }

    /** The normalised sum: how windows of one long text are pooled into its vector. */
    static float[] pooled(List<float[]> vectors) {
        double[] sum = new double[vectors.getFirst().length];
        for (float[] v : vectors) for (int i = 0; i < v.length; i++) sum[i] += v[i];
        double n = 0;
        for (double x : sum) n += x * x;
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) out[i] = (float) (sum[i] / Math.sqrt(n));
        return out;
    }

    static List<String> strings(com.fasterxml.jackson.databind.JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    /** A raw POST to a fake, for checking the fake's own validation. */
    static HttpResponse<String> post(URI uri, Map<String, String> headers, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(builder::header);
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
