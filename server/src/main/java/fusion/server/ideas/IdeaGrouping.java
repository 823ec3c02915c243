package fusion.server.ideas;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Which earlier idea a new one says the same thing as, by Apache Lucene: texts go through the
 * {@link EnglishAnalyzer} (standard tokenizer, lower case, English stop words, possessives, Porter
 * stemming) into an in-memory index scored with BM25 (Lucene's default similarity). A new text is
 * indexed, then searched with all of its own terms: each earlier idea of the same brand scores
 * BM25(new terms, earlier), and the new text itself scores BM25(new terms, new), about the most
 * any document can get for that query; their ratio says how much of the new text the earlier one
 * covers. The same is done the other way (the earlier text's terms, scored on the new text over the
 * earlier text itself), since a short idea repeated inside a longer one is the same idea. The
 * <b>similarity</b> is the larger of the two ratios (0 when nothing is shared, about 1 for the same
 * words), and the new idea joins the most similar earlier one when it reaches {@link #THRESHOLD};
 * otherwise it starts a group of its own.
 *
 * <p>Texts are grouped as they arrive, in log order: an idea's group never changes afterwards,
 * so the group's id (its first submission's id) is stable for votes and statuses.
 */
final class IdeaGrouping implements AutoCloseable {
    /**
     * Similarity from which two ideas are the same idea (see the class comment). On the hand-written
     * paraphrases and unrelated wishes of {@code IdeaGroupingTest}, paraphrases of a one-line idea
     * score 0.34 to 0.61 against it and unrelated texts at most 0.07 (a shared word); 0.25 sits
     * between, nearer the unrelated side, since a missed grouping splits the votes.
     */
    static final double THRESHOLD = 0.25;

    private static final int CANDIDATES = 20;

    private final Analyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final IndexWriter writer;
    /** Each document's text, to query with an earlier text's own terms. */
    private final Map<String, String> texts = new HashMap<>();

    IdeaGrouping() {
        try {
            writer = new IndexWriter(directory, new IndexWriterConfig(analyzer));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The closest earlier idea of the brand and its similarity, if any shares a term with {@code text}. */
    record Match(String id, double similarity) {}

    /**
     * Adds an idea; returns the most similar earlier idea of the same brand that reaches the
     * threshold, if there is one.
     */
    Optional<Match> add(String id, String brand, String text) {
        return addAndCompare(id, brand, text).filter(m -> m.similarity() >= THRESHOLD);
    }

    /** Adds an idea; returns the most similar earlier idea of the same brand, however similar. */
    Optional<Match> addAndCompare(String id, String brand, String text) {
        try {
            Document d = new Document();
            d.add(new StringField("id", id, Field.Store.YES));
            d.add(new StringField("brand", brand, Field.Store.NO));
            d.add(new TextField("text", text, Field.Store.NO));
            writer.addDocument(d);
            writer.commit();
            Set<String> terms = terms(text);
            if (terms.isEmpty()) return Optional.empty();
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                IndexSearcher searcher = new IndexSearcher(reader);
                Map<String, Float> forward = scores(searcher, terms, brand, null);
                float self = forward.getOrDefault(id, 0f);
                String best = null;
                double bestSimilarity = 0;
                for (Map.Entry<String, Float> e : forward.entrySet()) {
                    if (e.getKey().equals(id) || self <= 0) continue;
                    double there = e.getValue() / self;
                    // and back: the earlier text's own terms, scored on the new text against itself
                    Map<String, Float> back =
                            scores(searcher, terms(texts.get(e.getKey())), brand, Set.of(id, e.getKey()));
                    float earlierSelf = back.getOrDefault(e.getKey(), 0f);
                    double backThere = earlierSelf <= 0 ? 0 : back.getOrDefault(id, 0f) / earlierSelf;
                    double similarity = Math.max(there, backThere);
                    if (similarity > bestSimilarity) {
                        best = e.getKey();
                        bestSimilarity = similarity;
                    }
                }
                texts.put(id, text);
                if (best == null) return Optional.empty();
                return Optional.of(new Match(best, bestSimilarity));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** BM25 scores of the brand's documents (only {@code ids}, when given) for a query of {@code terms}. */
    private static Map<String, Float> scores(IndexSearcher searcher, Set<String> terms, String brand, Set<String> ids)
            throws IOException {
        Map<String, Float> out = new HashMap<>();
        if (terms.isEmpty()) return out;
        BooleanQuery.Builder words = new BooleanQuery.Builder();
        for (String t : terms) words.add(new TermQuery(new Term("text", t)), BooleanClause.Occur.SHOULD);
        BooleanQuery.Builder q = new BooleanQuery.Builder()
                .add(words.build(), BooleanClause.Occur.MUST)
                .add(new TermQuery(new Term("brand", brand)), BooleanClause.Occur.FILTER);
        if (ids != null) {
            BooleanQuery.Builder only = new BooleanQuery.Builder();
            for (String id : ids) only.add(new TermQuery(new Term("id", id)), BooleanClause.Occur.SHOULD);
            q.add(only.build(), BooleanClause.Occur.FILTER);
        }
        TopDocs top = searcher.search(q.build(), ids == null ? CANDIDATES : ids.size());
        for (ScoreDoc sd : top.scoreDocs) {
            out.put(searcher.storedFields().document(sd.doc).get("id"), sd.score);
        }
        return out;
    }

    /** The analyzed terms of {@code text}, as Lucene's English analyzer gives them. */
    Set<String> terms(String text) {
        Set<String> out = new LinkedHashSet<>();
        try (TokenStream ts = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) out.add(term.toString());
            ts.end();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
