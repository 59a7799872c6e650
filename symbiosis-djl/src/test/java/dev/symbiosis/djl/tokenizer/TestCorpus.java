package dev.symbiosis.djl.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small deterministic training texts: English-like prose plus some accented, CJK and emoji text. */
final class TestCorpus {

    private static final String[] SENTENCES = {
        "The quick brown fox jumps over the lazy dog.",
        "It was the best of times, it was the worst of times.",
        "She sells sea shells by the sea shore, and the shells she sells are surely sea shells.",
        "In the beginning the river was narrow; later it widened into a slow, brown estuary.",
        "Numbers such as 42, 1999 and 3.14159 appear in the ledger next to the names.",
        "\"Where are you going?\" asked the old man. \"To the market,\" said the girl.",
        "The committee reported that the harvest of 1887 had been larger than expected.",
        "Café, naïve, résumé and façade keep their accents; so does Zürich.",
        "東京は日本の首都です。 北京是中国的首都。",
        "Emoji appear in messages too 😀🎉 and sometimes in titles 🚀.",
        "Tabs\tand\nnewlines\n\nseparate paragraphs   with  irregular   spacing.",
        "Don't you think they'll say we've done what I'd hoped you're doing?",
    };

    private TestCorpus() {}

    /** {@code n} texts of a few sentences each, the same for every call. */
    static List<String> texts(int n) {
        Random random = new Random(20260101L);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            int k = 1 + random.nextInt(4);
            for (int j = 0; j < k; j++) {
                if (j > 0) {
                    sb.append(random.nextInt(5) == 0 ? "\n" : " ");
                }
                sb.append(SENTENCES[random.nextInt(SENTENCES.length)]);
            }
            out.add(sb.toString());
        }
        return out;
    }
}
