package dev.symbiosis.experiment;

import dev.symbiosis.core.loop.IterationRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ExperimentRunner#run()} produced: the records of every run seed it ran (or read, for a report-only
 * run), the statistics over the seeds and the report, and the headline tasks. Immutable.
 */
public final class ExperimentResult {

    private final List<SeedStatistics.SeedRun> runs;
    private final @Nullable SeedStatistics statistics;
    private final @Nullable Path report;
    private final Set<String> headlineTasks;

    ExperimentResult(List<SeedStatistics.SeedRun> runs, @Nullable SeedStatistics statistics, @Nullable Path report,
            Set<String> headlineTasks) {
        this.runs = List.copyOf(runs);
        this.statistics = statistics;
        this.report = report;
        this.headlineTasks = Set.copyOf(headlineTasks);
    }

    /** Every run seed run or read, in seed order: its folder and records. */
    public List<SeedStatistics.SeedRun> runs() {
        return runs;
    }

    /** Every record of every run seed, seed after seed. */
    public List<IterationRecord> records() {
        List<IterationRecord> all = new ArrayList<>();
        runs.forEach(r -> all.addAll(r.records()));
        return List.copyOf(all);
    }

    /**
     * The statistics over the run seeds (also in {@code stats.json}); empty when the run covered only some seeds
     * ({@link ExperimentRunner.Builder#optOnlySeeds}), which writes no aggregate.
     */
    public Optional<SeedStatistics> statistics() {
        return Optional.ofNullable(statistics);
    }

    /** The aggregate {@code report.html}; empty when no aggregate was written. */
    public Optional<Path> report() {
        return Optional.ofNullable(report);
    }

    /** The tasks that count in {@code mc.headline_acc} (Generator 0 beats chance on them). */
    public Set<String> headlineTasks() {
        return headlineTasks;
    }
}
