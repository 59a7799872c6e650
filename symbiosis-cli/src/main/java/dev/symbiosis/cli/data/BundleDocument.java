package dev.symbiosis.cli.data;

/** One document of the bundle: {"id", "text", "source", "licence", "split"}. */
public record BundleDocument(String id, String text, String source, String licence, String split) {}
