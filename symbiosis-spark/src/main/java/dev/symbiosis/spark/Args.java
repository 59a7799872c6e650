package dev.symbiosis.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of a main class. Every option must be known; a missing required option, an
 * unknown one or a malformed number is an {@link IllegalArgumentException} naming the option.
 */
final class Args {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final String command;

    private Args(String command) {
        this.command = command;
    }

    /**
     * @param known option names without the leading dashes; a name ending in {@code "!"} is a flag (no value)
     */
    static Args parse(String command, String[] args, Set<String> known) {
        Args a = new Args(command);
        for (int i = 0; i < args.length; i++) {
            String s = args[i];
            if (!s.startsWith("--")) {
                throw new IllegalArgumentException(command + ": unexpected argument '" + s + "' (options are --name"
                        + " value)");
            }
            String name = s.substring(2);
            if (known.contains(name + "!")) {
                a.values.put(name, "true");
            } else if (known.contains(name)) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(command + ": option --" + name + " needs a value");
                }
                a.values.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(command + ": unknown option --" + name + "; known: "
                        + known.stream().map(k -> "--" + k.replace("!", "")).sorted().toList());
            }
        }
        return a;
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(command + ": option --" + name + " is required");
        }
        return v;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean flag(String name) {
        return values.containsKey(name);
    }

    int getInt(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": option --" + name + " must be an integer, got '" + v + "'");
        }
    }

    long getLong(String name, long fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": option --" + name + " must be an integer, got '" + v + "'");
        }
    }

    double getDouble(String name, double fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(command + ": option --" + name + " must be a number, got '" + v + "'");
        }
    }
}
