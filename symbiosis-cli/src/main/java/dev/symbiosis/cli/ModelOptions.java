package dev.symbiosis.cli;

import dev.symbiosis.djl.ModelSource;
import picocli.CommandLine.Option;

/**
 * The options that name a model: a checkpoint folder or a Hugging Face model id from the local hub cache, its
 * revision, and the opt-in to download missing files. Shared by the commands that open a model.
 */
public final class ModelOptions {

    /** The families a checkpoint may be of, for help texts. */
    static final String FAMILIES = "GPT-2, GPT-NeoX (Pythia) or Llama";

    @Option(names = "--model", required = true, paramLabel = "DIR|ID",
            description = "checkpoint folder, or Hugging Face model id (org/name) found in the local hub cache"
                    + " (HF_HOME / HF_HUB_CACHE); a " + FAMILIES + " model with safetensors weights and tokenizer.json")
    String model;

    @Option(names = "--revision", paramLabel = "REV",
            description = "branch, tag or commit of a hub id (default: main)")
    String revision;

    @Option(names = "--allow-download",
            description = "download the files a hub id lacks from HF_ENDPOINT into the hub cache (never without this"
                    + " flag, never with HF_HUB_OFFLINE=1; HF_TOKEN for gated models)")
    boolean allowDownload;

    /** The source these options name. */
    public ModelSource source() {
        ModelSource s = ModelSource.parse(model);
        if (revision != null) {
            if (!s.isHub()) {
                throw new IllegalArgumentException("--revision applies to a Hugging Face id, but " + model
                        + " is a folder");
            }
            s = s.withRevision(revision);
        }
        return s.withAllowDownload(allowDownload);
    }
}
