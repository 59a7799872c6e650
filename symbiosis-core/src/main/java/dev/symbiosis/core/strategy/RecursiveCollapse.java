package dev.symbiosis.core.strategy;

import dev.symbiosis.core.Describable;
import dev.symbiosis.core.loop.IterationContext;
import dev.symbiosis.core.loop.IterationData;
import dev.symbiosis.core.loop.RealStream;
import dev.symbiosis.core.loop.Strategy;
import dev.symbiosis.core.loop.TextsFile;
import dev.symbiosis.core.loop.TokenBudget;
import dev.symbiosis.core.model.Generator;
import dev.symbiosis.core.model.TrainingText;
import dev.symbiosis.core.text.Document;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.SortedMap;

/**
 * The negative control (Shumailov et al. 2023): the Student of generation {@code t+1} trains on samples of the
 * Student of generation {@code t}; the first generation's data come from the first teacher, Generator 0 by default
 * ({@link FirstTeacher}), so that "a weaker teacher" and "recursion" can be told apart by running both.
 *
 * <ul>
 *   <li>{@link Mode#REPLACE}: each generation trains on its parent's fresh samples only (the classic collapse
 *       setup);</li>
 *   <li>{@link Mode#ACCUMULATE}: the fixed token budget is drawn from the original real seed data plus every
 *       synthetic set so far (design.md's reading of Gerstgrasser et al. 2024: the budget stays equal across
 *       arms);</li>
 *   <li>{@link Mode#ACCUMULATE_GROWING} (Gerstgrasser et al. 2024 as they run it): the training set grows, one
 *       fixed draw of real seed data of one budget plus every synthetic set so far (one budget each), so at
 *       iteration {@code t} it holds {@code t + 1} budgets of which {@code 1 / (t + 1)} is real; exempt from the
 *       token budget (the records give its tokens and real share); each generation is trained from Student 0's
 *       weights on the whole set, as each of their models is fitted anew on the accumulated data;</li>
 *   <li>{@link Mode#REAL_MIXING}: each generation trains on its parent's fresh samples mixed with fresh real text
 *       of the stream as {@code realShare} of the budget (1/phi by default): He et al.'s golden-ratio claim is
 *       about recursive training, which {@link RealMixing} (Generator 0's samples) does not test.</li>
 * </ul>
 * With {@code fromInitialWeights} each generation starts from Student 0's weights instead of continuing.
 *
 * <p>Not thread-safe; the accumulated sets are saved with the checkpoint.
 */
public final class RecursiveCollapse implements Strategy {

    /** How synthetic sets are used across generations. */
    public enum Mode {
        REPLACE,
        ACCUMULATE,
        ACCUMULATE_GROWING,
        REAL_MIXING
    }

    /** Who writes the first generation's data. */
    public enum FirstTeacher {
        /** Generator 0 (the stronger model): iteration 1 is distillation, recursion starts at iteration 2. */
        GENERATOR_0,
        /** Student 0 itself: recursion from the first iteration, no stronger teacher ever. */
        STUDENT_0
    }

    private final String name;
    private final Mode mode;
    private final boolean fromInitialWeights;
    private final FirstTeacher firstTeacher;
    private final double realShare;
    private final List<Document> seedData;
    private List<TrainingText> accumulated = new ArrayList<>();

    private RecursiveCollapse(String name, Mode mode, boolean fromInitialWeights, FirstTeacher firstTeacher,
            double realShare, List<Document> seedData) {
        this.name = Objects.requireNonNull(name);
        this.mode = Objects.requireNonNull(mode);
        this.fromInitialWeights = fromInitialWeights || mode == Mode.ACCUMULATE_GROWING;
        this.firstTeacher = Objects.requireNonNull(firstTeacher);
        this.realShare = realShare;
        this.seedData = List.copyOf(seedData);
        if ((mode == Mode.ACCUMULATE || mode == Mode.ACCUMULATE_GROWING) && seedData.isEmpty()) {
            throw new IllegalArgumentException("the accumulate variants need the real seed data");
        }
        if (mode == Mode.REAL_MIXING && !(realShare > 0 && realShare < 1)) {
            throw new IllegalArgumentException("realShare must be in (0, 1), got " + realShare);
        }
    }

    /** Replace, continuing from the parent's weights; first teacher Generator 0 ({@code recursive-replace}). */
    public static RecursiveCollapse replace() {
        return new RecursiveCollapse("recursive-replace", Mode.REPLACE, false, FirstTeacher.GENERATOR_0, 0,
                List.of());
    }

    /**
     * Replace with Student 0 as the first teacher ({@code recursive-replace-self}): the Student only ever trains on
     * its own samples. Against {@link #replace()} it separates the effect of recursion from that of a first
     * generation taught by the stronger Generator 0.
     */
    public static RecursiveCollapse replaceSelf() {
        return new RecursiveCollapse("recursive-replace-self", Mode.REPLACE, false, FirstTeacher.STUDENT_0, 0,
                List.of());
    }

    /** Replace, each generation from Student 0's weights ({@code recursive-replace-from-initial}). */
    public static RecursiveCollapse replaceFromInitialWeights() {
        return new RecursiveCollapse("recursive-replace-from-initial", Mode.REPLACE, true, FirstTeacher.GENERATOR_0,
                0, List.of());
    }

    /**
     * Accumulate over the real seed data and all synthetic sets so far, the token budget drawn from them,
     * continuing from the parent's weights ({@code recursive-accumulate}).
     */
    public static RecursiveCollapse accumulate(List<Document> seedData) {
        return new RecursiveCollapse("recursive-accumulate", Mode.ACCUMULATE, false, FirstTeacher.GENERATOR_0, 0,
                seedData);
    }

    /**
     * The growing set of Gerstgrasser et al. ({@code recursive-accumulate-growing}): real seed text of one budget
     * (the first budget's worth of {@code seedData} in a seeded order, fixed for the run) plus every synthetic set
     * so far, the Student trained from Student 0's weights on all of it every iteration.
     */
    public static RecursiveCollapse accumulateGrowing(List<Document> seedData) {
        return new RecursiveCollapse("recursive-accumulate-growing", Mode.ACCUMULATE_GROWING, true,
                FirstTeacher.GENERATOR_0, 0, seedData);
    }

    /**
     * Recursive training with fresh real text as {@code realShare} of every budget ({@code recursive-real-mixing}
     * at 1/phi): the parent's samples fill the rest.
     */
    public static RecursiveCollapse realMixing(double realShare) {
        return new RecursiveCollapse("recursive-real-mixing", Mode.REAL_MIXING, false, FirstTeacher.GENERATOR_0,
                realShare, List.of());
    }

    @Override
    public String name() {
        return name;
    }

    /** The mode, the starting weights, the first teacher, the real share and the number of real seed documents. */
    @Override
    public SortedMap<String, Object> settings() {
        return Describable.settingsOf("mode", mode.name(), "fromInitialWeights", fromInitialWeights,
                "seedDocuments", seedData.size(), "firstTeacher", firstTeacher.name(), "realShare", realShare);
    }

    /** The first generation's teacher. */
    public FirstTeacher firstTeacher() {
        return firstTeacher;
    }

    @Override
    public IterationData prepare(IterationContext ctx) {
        Generator parent = ctx.iteration() > 1 || firstTeacher == FirstTeacher.STUDENT_0 ? ctx.student()
                : ctx.generator();
        int budget = ctx.config().tokenBudget();
        if (mode == Mode.REAL_MIXING) {
            int realTokens = (int) Math.round(budget * realShare);
            RealStream.Slice real = ctx.realStream().slice(ctx.iteration(), realTokens, 1.0);
            IterationContext.Synthesized fresh = ctx.synthesize(parent, ctx.topicPrompts("step-a"),
                    Math.max(1, budget - realTokens), 1.0, "sample parent");
            List<TrainingText> texts = new ArrayList<>(real.texts());
            texts.addAll(fresh.texts());
            return new IterationData(texts, fresh.samples(), real.reused());
        }
        IterationContext.Synthesized fresh = ctx.synthesize(parent, ctx.topicPrompts("step-a"), budget, 1.0,
                "sample parent");
        if (fromInitialWeights) {
            ctx.resetStudent();
        }
        if (mode == Mode.REPLACE) {
            return new IterationData(fresh.texts(), fresh.samples(), false);
        }
        accumulated.addAll(fresh.texts());
        if (mode == Mode.ACCUMULATE_GROWING) {
            // one budget of real seed text, the same draw every iteration (seeded by the run, not the iteration)
            List<TrainingText> real = realTexts();
            Collections.shuffle(real, new Random(ctx.config().seedFor(1, "accumulate real draw")));
            List<TrainingText> all = new ArrayList<>(new TokenBudget(budget, ctx.student()::countTokens)
                    .fillFrom(real.iterator()).texts());
            all.addAll(accumulated);
            return new IterationData(all, fresh.samples(), false);
        }
        List<TrainingText> all = new ArrayList<>(accumulated);
        all.addAll(realTexts());
        Collections.shuffle(all, new Random(ctx.seed("accumulate draw")));
        List<TrainingText> drawn = new TokenBudget(ctx.config().tokenBudget(), ctx.student()::countTokens)
                .fillFrom(all.iterator()).texts();
        return new IterationData(drawn, fresh.samples(), false);
    }

    private List<TrainingText> realTexts() {
        List<TrainingText> out = new ArrayList<>(seedData.size());
        for (Document d : seedData) {
            out.add(TrainingText.of(d.text(), d.provenance().with("doc", d.id())
                    .with(IterationContext.ORIGIN, IterationContext.REAL)));
        }
        return out;
    }

    private boolean accumulates() {
        return mode == Mode.ACCUMULATE || mode == Mode.ACCUMULATE_GROWING;
    }

    @Override
    public void saveState(Path dir) throws IOException {
        if (accumulates()) {
            TextsFile.writeTexts(dir.resolve("accumulated.jsonl"), accumulated);
        }
    }

    @Override
    public void resetState() {
        accumulated = new ArrayList<>();
    }

    @Override
    public void restoreState(Path dir) throws IOException {
        Path f = dir.resolve("accumulated.jsonl");
        accumulated = accumulates() && Files.exists(f) ? TextsFile.readTexts(f) : new ArrayList<>();
    }
}
