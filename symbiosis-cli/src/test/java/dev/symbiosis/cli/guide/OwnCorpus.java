package dev.symbiosis.cli.guide;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small corpus the project does not ship, written by the test that tries the own-data guide: three domains in
 * the two formats prepare-corpus reads. A harbour master's log and an orchard diary as plain text (one paragraph
 * per entry, blank lines between), and family letters as JSONL with a {@code source} field. The text is composed
 * from sentence templates and word lists with a fixed seed, so it is the same on every machine; it has what the
 * task builders look for (names used capitalised, is/are, was/were, a/an, this/these) and enough variety for a
 * tokenizer and a tiny model to learn something.
 */
public final class OwnCorpus {

    private static final String[] SHIPS = {"Meridian", "Albatross", "Curlew", "Petrel", "Kittiwake", "Halcyon"};
    private static final String[] PORTS = {"Falmouth", "Penzance", "Brixham", "Whitby", "Mevagissey", "Padstow"};
    private static final String[] MASTERS = {"Ashdown", "Trelawny", "Pascoe", "Quiller", "Penhallow", "Rowe"};
    private static final String[] CARGO = {"salt", "timber", "slate", "pilchards", "coal", "wool", "grain",
        "copper ore", "china clay", "barrels of cider"};
    private static final String[] WEATHER = {"the wind was from the west", "a thick fog lay over the bay",
        "the sea was calm and grey", "a gale blew from the south", "rain fell all the forenoon",
        "the morning was clear and cold", "the swell was heavy on the bar"};
    private static final String[] HARBOUR_NOUNS = {"quay", "pier", "mooring", "anchor", "crew", "pilot", "tide",
        "harbour", "lantern", "warehouse", "net", "rope", "deck", "mast", "sail", "hull"};

    private static final String[] GARDENERS = {"Martha Ellery", "Old Hathersage", "Jonah Pike", "Susan Tregear",
        "Walter Crane"};
    private static final String[] APPLES = {"Bramley", "Russet", "Pippin", "Costard", "Quarrenden", "Codlin"};
    private static final String[] PEARS = {"Conference", "Williams", "Comice", "Jargonelle"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
        "August", "September", "October", "November", "December"};
    private static final String[] ORCHARD_NOUNS = {"orchard", "tree", "blossom", "branch", "ladder", "basket",
        "hedge", "wall", "frost", "bee", "hive", "grass", "fruit", "root", "graft", "spade"};

    private static final String[] WRITERS = {"Edmund", "Agnes", "Thomas", "Harriet", "Lucy", "Robert"};
    private static final String[] TOWNS = {"Bristol", "Exeter", "Truro", "Bath", "Plymouth"};
    private static final String[] LETTER_NOUNS = {"letter", "parcel", "visit", "school", "church", "market",
        "doctor", "cousin", "garden", "kitchen", "fire", "road", "coach", "house", "news", "weather"};

    private OwnCorpus() {}

    /**
     * Writes {@code harbour-log.txt}, {@code orchard.txt} and {@code letters.jsonl} into {@code dir} (created).
     *
     * @param entries paragraphs (or letters) per domain
     * @return the files written
     */
    public static List<Path> write(Path dir, int entries, long seed) throws IOException {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        List<String> log = new ArrayList<>();
        List<String> orchard = new ArrayList<>();
        List<String> letters = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            log.add(harbourEntry(r, i));
            orchard.add(orchardEntry(r, i));
            letters.add(letter(r));
        }
        Path a = dir.resolve("harbour-log.txt");
        Files.writeString(a, String.join("\n\n", log) + "\n", StandardCharsets.UTF_8);
        Path b = dir.resolve("orchard.txt");
        Files.writeString(b, String.join("\n\n", orchard) + "\n", StandardCharsets.UTF_8);
        Path c = dir.resolve("letters.jsonl");
        ObjectMapper json = new ObjectMapper();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < letters.size(); i++) {
            sb.append(json.createObjectNode().put("id", "letter-" + (i + 1)).put("text", letters.get(i))
                    .put("source", "letters")).append('\n');
        }
        Files.writeString(c, sb.toString(), StandardCharsets.UTF_8);
        return List.of(a, b, c);
    }

    private static String pick(Random r, String[] words) {
        return words[r.nextInt(words.length)];
    }

    private static String article(String word) {
        return "aeiou".indexOf(Character.toLowerCase(word.charAt(0))) >= 0 ? "an " + word : "a " + word;
    }

    private static String harbourEntry(Random r, int day) {
        String ship = pick(r, SHIPS);
        String port = pick(r, PORTS);
        String master = pick(r, MASTERS);
        String noun = pick(r, HARBOUR_NOUNS);
        List<String> s = new ArrayList<>();
        s.add("Day " + (day + 1) + ". The " + ship + " came in from " + port + " with " + pick(r, CARGO) + ", and "
                + pick(r, WEATHER) + ".");
        s.add("Captain " + master + " says the " + noun + " is in poor repair and the men are tired.");
        s.add("The " + pick(r, SHIPS) + " was warped to the " + pick(r, HARBOUR_NOUNS) + " at high water, where "
                + "the pilots were waiting with " + article(pick(r, new String[] {"old", "empty", "open", "heavy",
                "idle"})) + " boat.");
        if (r.nextBoolean()) {
            s.add("This " + noun + " has been mended twice this year, but these repairs are not enough.");
        }
        if (r.nextBoolean()) {
            s.add("Mr " + pick(r, MASTERS) + " of " + pick(r, PORTS) + " paid the dues on " + article(pick(r,
                    new String[] {"cargo", "account", "anchor", "order", "empty cask"})) + " and left by the "
                    + "evening coach.");
        }
        s.add("The tide was " + pick(r, new String[] {"low", "high", "slack", "making"}) + " at "
                + (1 + r.nextInt(12)) + " o'clock and the " + pick(r, HARBOUR_NOUNS) + " lights were lit.");
        return String.join(" ", s);
    }

    private static String orchardEntry(Random r, int i) {
        String month = MONTHS[i % MONTHS.length];
        String gardener = pick(r, GARDENERS);
        String apple = pick(r, APPLES);
        List<String> s = new ArrayList<>();
        s.add("In " + month + " " + gardener + " worked among the " + apple + " trees by the "
                + pick(r, ORCHARD_NOUNS) + ".");
        s.add("The " + pick(r, ORCHARD_NOUNS) + " is " + pick(r, new String[] {"wet", "thick", "bare", "heavy",
                "green"}) + " and the " + pick(r, ORCHARD_NOUNS) + "s are " + pick(r, new String[] {"late", "early",
                "slow", "strong"}) + " this year.");
        s.add("The " + pick(r, PEARS) + " pears were picked when the " + pick(r, ORCHARD_NOUNS) + " was dry, and "
                + article(pick(r, new String[] {"apple", "basket", "ladder", "early frost", "old hive"}))
                + " was left by the gate.");
        if (r.nextBoolean()) {
            s.add("These " + pick(r, APPLES) + " apples keep well in straw, and this " + pick(r, ORCHARD_NOUNS)
                    + " will be cut back in winter.");
        }
        s.add("Against the " + pick(r, ORCHARD_NOUNS) + " " + pick(r, GARDENERS) + " set " + (2 + r.nextInt(9))
                + " new grafts of " + pick(r, APPLES) + " and " + pick(r, APPLES) + ".");
        return String.join(" ", s);
    }

    private static String letter(Random r) {
        String to = pick(r, WRITERS);
        String from = pick(r, WRITERS);
        String town = pick(r, TOWNS);
        List<String> s = new ArrayList<>();
        s.add("Dear " + to + ",");
        s.add("Your " + pick(r, LETTER_NOUNS) + " came on Tuesday and we were glad of it.");
        s.add("The " + pick(r, LETTER_NOUNS) + " in " + town + " is " + pick(r, new String[] {"busy", "quiet",
                "cold", "full"}) + " and the " + pick(r, LETTER_NOUNS) + "s are dear.");
        s.add(pick(r, WRITERS) + " was at the " + pick(r, LETTER_NOUNS) + " with " + article(pick(r,
                new String[] {"umbrella", "basket", "old friend", "letter", "apron"})) + " and a cold.");
        if (r.nextBoolean()) {
            s.add("These " + pick(r, LETTER_NOUNS) + "s are a trouble, but this " + pick(r, LETTER_NOUNS)
                    + " has been a comfort to us all.");
        }
        s.add("We think of coming to " + pick(r, TOWNS) + " by the " + pick(r, LETTER_NOUNS) + " when the "
                + pick(r, LETTER_NOUNS) + " is better.");
        s.add("Yours, " + from + ".");
        return String.join(" ", s);
    }
}
