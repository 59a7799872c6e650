package dev.symbiosis.core.loop;

/** Receives progress of one long step as (done, total) units. */
@FunctionalInterface
public interface ProgressSink {

    /** A sink that ignores progress. */
    ProgressSink NONE = (done, total) -> {};

    void progress(long done, long total);
}
