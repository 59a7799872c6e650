package dev.symbiosis.cli.data;

import java.util.List;

/**
 * One multiple-choice evaluation item, stored one JSON object per line:
 * {@code {"id","task","context","choices","answer","source"}}; choices are scored as context + " " + choice and
 * answer is the 0-based index of the right choice.
 */
public record TaskItem(String id, String task, String context, List<String> choices, int answer, String source) {}
