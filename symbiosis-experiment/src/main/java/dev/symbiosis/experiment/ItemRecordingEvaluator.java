package dev.symbiosis.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.symbiosis.core.eval.EvalProgress;
import dev.symbiosis.core.eval.ItemResult;
import dev.symbiosis.core.eval.PerplexityEvaluator;
import dev.symbiosis.core.eval.SourcePerplexity;
import dev.symbiosis.core.loop.AtomicFiles;
import dev.symbiosis.core.loop.Evaluation;
import dev.symbiosis.core.loop.Json;
import dev.symbiosis.core.loop.LoopListener;
import dev.symbiosis.core.loop.ProgressSink;
import dev.symbiosis.core.loop.RunStore;
import dev.symbiosis.core.loop.StudentEvaluator;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.Prompt;
import dev.symbiosis.core.model.PromptCompletion;
import dev.symbiosis.core.model.SaliencyMap;
import dev.symbiosis.core.model.Sample;
import dev.symbiosis.core.model.SamplingConfig;
import dev.symbiosis.core.model.Student;
import dev.symbiosis.core.model.TokenScores;
import dev.symbiosis.core.model.TrainingReport;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link HeldOutEvaluator} plus the per-item results that paired tests need: after each evaluation it writes
 * {@code <strategy>/iter-<t>/items.jsonl} into the run folder, one line per held-out document ({@code "kind":
 * "bpb"}: domain, id, negative log-likelihood in nats, predicted bytes, bits per byte) and per multiple-choice item
 * ({@code "kind": "mc"}: task, id, correct, correct_norm).
 *
 * <p>The per-item figures come from the very scores of the evaluation (the Student's {@code score} results are kept
 * for the duration of one evaluation and the per-item passes read them back), so they add no model work and agree
 * with the figures of {@code results.jsonl}. A re-run iteration (resumption) rewrites its file.
 *
 * <p>The strategy and iteration of an evaluation are learnt from the loop's progress events, so this object must
 * also be registered as a {@link LoopListener} of the loop. Not thread-safe (one loop).
 */
final class ItemRecordingEvaluator implements StudentEvaluator, LoopListener {

    /** File name of the per-item results in an iteration folder. */
    static final String FILE = "items.jsonl";

    private final HeldOutEvaluator delegate;
    private final List<Document> heldOut;
    private final RunStore store;
    private String strategy;
    private int iteration = -1;

    ItemRecordingEvaluator(HeldOutEvaluator delegate, List<Document> heldOut, RunStore store) {
        this.delegate = delegate;
        this.heldOut = List.copyOf(heldOut);
        this.store = store;
    }

    @Override
    public void stepProgress(String strategy, int iteration, String step, long done, long total) {
        if (step.startsWith("evaluate")) {
            this.strategy = strategy;
            this.iteration = iteration;
        }
    }

    @Override
    public Evaluation evaluate(Student student, ProgressSink progress) {
        strategy = null;
        // keep the Student's capabilities visible: an evaluator may also generate with it
        RecordingStudent recording = student instanceof Generator g ? new RecordingGeneratorStudent(student, g)
                : new RecordingStudent(student);
        Evaluation e = delegate.evaluate(recording, progress);
        if (strategy == null) {
            throw new IllegalStateException("the evaluation reported no progress, so its strategy and iteration are"
                    + " unknown; register the ItemRecordingEvaluator as a loop listener");
        }
        List<String> lines = new ArrayList<>();
        PerplexityEvaluator one = PerplexityEvaluator.create().withBatchSize(1);
        for (Document d : heldOut) {
            SourcePerplexity p = one.evaluate(recording::cachedScore, List.of(d)).overall();
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("kind", "bpb");
            o.put("group", d.provenance().source());
            o.put("id", d.id());
            o.put("nll", p.nll());
            o.put("bytes", p.bytes());
            o.put("bpb", p.bitsPerByte());
            lines.add(json(o));
        }
        for (ItemResult r : delegate.multipleChoice(recording::cachedScore, EvalProgress.NONE).items()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("kind", "mc");
            o.put("group", r.task());
            o.put("id", r.id());
            o.put("correct", r.correct() ? 1 : 0);
            o.put("correct_norm", r.correctNorm() ? 1 : 0);
            lines.add(json(o));
        }
        try {
            AtomicFiles.writeLines(store.iterationDir(strategy, iteration).resolve(FILE), lines);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return e;
    }

    private static String json(ObjectNode o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Passes everything to the Student and keeps the scores of each text for the per-item passes. */
    private static class RecordingStudent implements Student {
        private final Student student;
        private final Map<String, TokenScores> scores = new HashMap<>();

        RecordingStudent(Student student) {
            this.student = student;
        }

        @Override
        public List<TokenScores> score(List<String> texts) {
            List<TokenScores> out = student.score(texts);
            for (int i = 0; i < texts.size() && i < out.size(); i++) {
                scores.put(texts.get(i), out.get(i));
            }
            return out;
        }

        /** The evaluation's scores of {@code texts}, scoring only texts it did not score. */
        List<TokenScores> cachedScore(List<String> texts) {
            List<String> missing = texts.stream().filter(t -> !scores.containsKey(t)).distinct().toList();
            if (!missing.isEmpty()) {
                score(missing);
            }
            return texts.stream().map(scores::get).toList();
        }

        @Override
        public TrainingReport train(List<TrainingText> texts) {
            return student.train(texts);
        }

        @Override
        public List<SaliencyMap> saliency(List<String> texts) {
            return student.saliency(texts);
        }

        @Override
        public void save(Path dir) throws IOException {
            student.save(dir);
        }

        @Override
        public void restore(Path dir) throws IOException {
            student.restore(dir);
        }
    }

    /** A {@link RecordingStudent} of a Student that is also a Generator. */
    private static final class RecordingGeneratorStudent extends RecordingStudent implements Generator {
        private final Generator generator;

        RecordingGeneratorStudent(Student student, Generator generator) {
            super(student);
            this.generator = generator;
        }

        @Override
        public List<Sample> generate(List<Prompt> prompts, SamplingConfig sampling) {
            return generator.generate(prompts, sampling);
        }

        @Override
        public TrainingReport fineTune(List<PromptCompletion> examples) {
            return generator.fineTune(examples);
        }
    }
}
