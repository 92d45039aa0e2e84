package io.catchment.search;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/**
 * Turns a user's search text into a BM25 query over the chunk content. The text is only ever run
 * through the index analyzer; each resulting word becomes a term clause. No query parser sees it,
 * so quotes, {@code AND}, {@code *}, {@code :} and the like are plain text: they cannot change the
 * query's meaning, reach another field, or fail to parse.
 */
final class KeywordQuery {
    /**
     * Distinct words used from one query. Far below Lucene's clause limit (1024, which counts the
     * filters too), and more than any real question has; a pasted page is cut, not rejected.
     */
    static final int MAX_TERMS = 256;

    private KeywordQuery() {}

    /**
     * A query matching chunks with any of the text's words, ranked by BM25 (more and rarer matches
     * first); empty when the text has no words (only punctuation, say). Repeated words count once.
     */
    static Optional<Query> of(Analyzer analyzer, String text) {
        Set<String> words = words(analyzer, text);
        if (words.isEmpty()) return Optional.empty();
        BooleanQuery.Builder query = new BooleanQuery.Builder();
        for (String word : words) query.add(new TermQuery(new Term(ChunkFields.CONTENT, word)), Occur.SHOULD);
        return Optional.of(query.build());
    }

    private static Set<String> words(Analyzer analyzer, String text) {
        Set<String> words = new LinkedHashSet<>();
        try (TokenStream tokens = analyzer.tokenStream(ChunkFields.CONTENT, text)) {
            CharTermAttribute term = tokens.addAttribute(CharTermAttribute.class);
            tokens.reset();
            while (words.size() < MAX_TERMS && tokens.incrementToken()) words.add(term.toString());
            tokens.end();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not analyze the query text", e); // reading a String does not fail
        }
        return words;
    }
}
