package io.catchment.bench;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic English-like chunks of about {@code targetTokens} cl100k_base tokens (the tokenizer
 * the chunker sizes chunks with), for timing an embedding model.
 *
 * <p>The text is grammatical-looking prose built from a fixed vocabulary of common English words
 * and a seeded random generator. Made-up words or random letters would not do: the model's cost
 * depends on how many word-pieces its tokenizer makes of the text, and common English words are
 * one word-piece each, as in real documents. Each chunk is cut at a word so that it has at most
 * {@code targetTokens} tokens, and ends with a full stop.
 */
final class ProseChunks {
    private static final String[] NOUNS = {
        "company", "customer", "report", "system", "team", "market", "product", "service", "policy", "budget",
        "project", "manager", "office", "contract", "meeting", "process", "record", "network", "account", "region",
        "plan", "price", "order", "supplier", "board", "quarter", "result", "change", "problem", "decision",
        "building", "school", "student", "teacher", "city", "river", "water", "energy", "patient", "doctor",
        "hospital", "study", "data", "model", "method", "question", "answer", "letter", "document", "section",
        "value", "level", "group", "member", "government", "court", "law", "rule", "tax", "cost",
        "farm", "road", "vehicle", "driver", "station", "village", "family", "child", "history", "language",
    };
    private static final String[] ADJECTIVES = {
        "new", "old", "large", "small", "early", "late", "local", "national", "public", "private",
        "final", "annual", "monthly", "recent", "main", "common", "simple", "careful", "clear", "short",
        "long", "strong", "weak", "open", "closed", "full", "important", "different", "similar", "general",
        "special", "current", "second", "first", "major", "minor", "formal", "basic", "useful", "difficult",
    };
    /** Past tense, so any noun can be the subject. */
    private static final String[] VERBS = {
        "reviewed", "approved", "changed", "reported", "described", "included", "required", "reduced", "increased",
        "improved", "supported", "replaced", "explained", "followed", "delayed", "checked", "measured", "opened",
        "closed", "moved", "started", "finished", "prepared", "received", "sent", "found", "built", "kept",
        "showed", "used", "raised", "lowered", "listed", "signed", "planned", "tested", "managed", "shared",
    };
    private static final String[] ADVERBS = {
        "quickly", "slowly", "carefully", "often", "rarely", "finally", "recently", "clearly", "usually", "later",
    };
    private static final String[] PREPOSITIONS = {
        "in", "on", "for", "with", "from", "after", "before", "during", "under", "about", "near", "without",
    };
    private static final String[] DETERMINERS = {"the", "the", "the", "a", "this", "that", "each", "every", "our", "their"};
    private static final String[] CONNECTIVES = {"and", "but", "because", "while", "although", "so", "when"};
    private static final String[] OPENERS = {
        "However", "In practice", "As a result", "At the same time", "In most cases", "For this reason",
        "Later that year", "According to the report", "In the first quarter", "By the end of the month",
    };

    private final Encoding cl100k = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
    private final SplittableRandom random;
    private final int targetTokens;

    ProseChunks(long seed, int targetTokens) {
        this.random = new SplittableRandom(seed);
        this.targetTokens = targetTokens;
    }

    /** cl100k_base tokens in {@code text}. */
    int tokens(String text) {
        return cl100k.countTokens(text);
    }

    List<String> next(int count) {
        List<String> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) chunks.add(next());
        return chunks;
    }

    /** One chunk: sentences until the target is reached, then words dropped until it fits again. */
    String next() {
        StringBuilder text = new StringBuilder();
        while (tokens(text.toString()) < targetTokens) {
            if (!text.isEmpty()) text.append(' ');
            text.append(sentence());
        }
        List<String> words = new ArrayList<>(List.of(text.toString().split(" ")));
        String chunk = String.join(" ", words);
        while (tokens(chunk) > targetTokens) {
            words.removeLast();
            chunk = withFullStop(String.join(" ", words));
        }
        return chunk;
    }

    private static String withFullStop(String text) {
        String trimmed = text.replaceAll("[,.]+$", "");
        return trimmed + ".";
    }

    /** One sentence of the prose (package-private for the ingestion corpus). */
    String sentence() {
        StringBuilder s = new StringBuilder();
        if (random.nextInt(4) == 0) s.append(pick(OPENERS)).append(", ");
        s.append(clause());
        if (random.nextInt(3) == 0) s.append(", ").append(pick(CONNECTIVES)).append(' ').append(clause());
        if (random.nextInt(8) == 0) {
            // Figures appear in real documents and tokenize differently from words.
            s.append(" in ").append(1990 + random.nextInt(35));
        }
        s.append('.');
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** determiner [adjective] noun [adverb] verb determiner [adjective] noun [preposition ...]. */
    private String clause() {
        StringBuilder c = new StringBuilder();
        c.append(nounPhrase());
        if (random.nextInt(4) == 0) c.append(' ').append(pick(ADVERBS));
        c.append(' ').append(pick(VERBS)).append(' ').append(nounPhrase());
        if (random.nextInt(2) == 0) c.append(' ').append(pick(PREPOSITIONS)).append(' ').append(nounPhrase());
        return c.toString();
    }

    private String nounPhrase() {
        String determiner = pick(DETERMINERS);
        String adjective = random.nextInt(2) == 0 ? pick(ADJECTIVES) + " " : "";
        String noun = pick(NOUNS);
        if (determiner.equals("a") && (adjective.isEmpty() ? noun : adjective).matches("^[aeiou].*")) {
            determiner = "an";
        }
        return determiner + " " + adjective + noun;
    }

    private String pick(String[] words) {
        return words[random.nextInt(words.length)];
    }
}
