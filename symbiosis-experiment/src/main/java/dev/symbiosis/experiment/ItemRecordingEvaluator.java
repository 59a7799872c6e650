package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.EvaluationContext;
import dev.symbiosis.core.loop.ItemScore;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.model.Student;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * Files the per-item results of another evaluator: after each evaluation it writes the evaluation's
 * {@link Evaluation#items()} to {@code <strategy>/iter-<t>/items.jsonl} of the run folder, one JSON object per
 * item ({@code kind}, {@code group}, {@code id}, then the item's values in their order), and returns the
 * evaluation unchanged. A re-run iteration (resumption) rewrites its file; an evaluation without items writes
 * none.
 *
 * <p>Thread-safe if the delegate is: the strategy and iteration come with each call.
 */
public final class ItemRecordingEvaluator implements StudentEvaluator {

    /** File name of the per-item results in an iteration folder. */
    public static final String FILE = "items.jsonl";

    private final StudentEvaluator delegate;
    private final RunStore store;

    /**
     * @param delegate the evaluator whose items are filed
     * @param store the run folder
     */
    public ItemRecordingEvaluator(StudentEvaluator delegate, RunStore store) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.store = Objects.requireNonNull(store, "store");
    }

    /** The delegate's settings. */
    @Override
    public SortedMap<String, Object> settings() {
        return delegate.settings();
    }

    @Override
    public Evaluation evaluate(Student student, EvaluationContext context) {
        return record(delegate.evaluate(student, context), context);
    }

    /** Writes the reused evaluation's items into {@code context}'s iteration folder, as {@link #evaluate} does. */
    @Override
    public Evaluation reuse(Evaluation evaluation, EvaluationContext context) {
        return record(delegate.reuse(evaluation, context), context);
    }

    private Evaluation record(Evaluation e, EvaluationContext context) {
        if (!e.items().isEmpty()) {
            List<String> lines = new ArrayList<>();
            for (ItemScore item : e.items()) {
                lines.add(json(item));
            }
            try {
                AtomicFiles.writeLines(store.iterationDir(context.strategy(), context.iteration()).resolve(FILE),
                        lines);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return e;
    }

    /** The delegate's Generator figures (no items to record). */
    @Override
    public SortedMap<String, Double> evaluateGenerator(dev.symbiosis.core.model.TextScorer generator,
            EvaluationContext context) {
        return delegate.evaluateGenerator(generator, context);
    }

    @Override
    public boolean evaluatesGenerator() {
        return delegate.evaluatesGenerator();
    }

    /** The per-item results of one iteration's file, or an empty list when the iteration has none. */
    public static List<ItemScore> read(Path iterationDir) throws IOException {
        Path f = iterationDir.resolve(FILE);
        List<ItemScore> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (int n = 0; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            com.fasterxml.jackson.databind.JsonNode o;
            try {
                o = Json.reader().readTree(lines.get(n));
            } catch (IOException e) {
                throw new IOException(f + ":" + (n + 1) + ": malformed JSON: " + e.getMessage(), e);
            }
            String kind = o.path("kind").asText(null);
            String group = o.path("group").asText(null);
            String id = o.path("id").asText(null);
            if (kind == null || group == null || id == null) {
                throw new IOException(f + ":" + (n + 1) + ": an item needs 'kind', 'group' and 'id'");
            }
            Map<String, Number> values = new LinkedHashMap<>();
            for (var it = o.fields(); it.hasNext(); ) {
                var field = it.next();
                if (!Set.of("kind", "group", "id").contains(field.getKey())) {
                    if (!field.getValue().isNumber() && !field.getValue().isTextual()) {
                        throw new IOException(f + ":" + (n + 1) + ": value '" + field.getKey() + "' is not a number");
                    }
                    values.put(field.getKey(), field.getValue().isNumber() ? field.getValue().numberValue()
                            : Double.valueOf(field.getValue().asDouble(Double.NaN)));
                }
            }
            out.add(new ItemScore(kind, group, id, values));
        }
        return out;
    }

    private static String json(ItemScore item) {
        ObjectNode o = Json.object();
        o.put("kind", item.kind());
        o.put("group", item.group());
        o.put("id", item.id());
        item.values().forEach((k, v) -> {
            if (v instanceof Integer i) {
                o.put(k, i);
            } else if (v instanceof Long l) {
                o.put(k, l);
            } else {
                o.put(k, v.doubleValue());
            }
        });
        try {
            return Json.writer().writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
