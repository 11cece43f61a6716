package dev.parallelrag.bench.faq;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The committed FAQ set: {@code questions.jsonl} and the answer pages under {@code answers/}, as written by
 * {@code scripts/build-faq-bench.py}. {@link #problems()} checks what the benchmark's scores rely on.
 */
public final class FaqDataset {

    /** The issue asks for at least this many questions. */
    public static final int MIN_QUESTIONS = 150;
    public static final String DEV = "dev";
    public static final String TEST = "test";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private final Path directory;
    private final List<FaqQuestion> questions;
    private final Map<String, String> pages; // relative path -> text

    private FaqDataset(Path directory, List<FaqQuestion> questions, Map<String, String> pages) {
        this.directory = directory;
        this.questions = List.copyOf(questions);
        this.pages = Map.copyOf(pages);
    }

    /** Loads {@code directory/questions.jsonl} and every page under {@code directory/answers}. */
    public static FaqDataset load(Path directory) {
        try {
            List<FaqQuestion> questions = new ArrayList<>();
            for (String line : Files.readAllLines(directory.resolve("questions.jsonl"), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    questions.add(JSON.readValue(line, FaqQuestion.class));
                }
            }
            return new FaqDataset(directory, questions, readTexts(directory.resolve("answers")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code .txt} file under {@code root}, by path relative to it with {@code /} separators. */
    public static Map<String, String> readTexts(Path root) {
        Map<String, String> texts = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
                texts.put(root.relativize(file).toString().replace('\\', '/'), Files.readString(file, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }

    public Path directory() {
        return directory;
    }

    public Path answersDirectory() {
        return directory.resolve("answers");
    }

    public List<FaqQuestion> questions() {
        return questions;
    }

    public List<FaqQuestion> split(String split) {
        return questions.stream().filter(q -> q.split().equals(split)).toList();
    }

    /** The answer pages, by path relative to {@link #answersDirectory()}. */
    public Map<String, String> pages() {
        return pages;
    }

    /**
     * Whether {@code [start, end)} of the indexed {@code document} (a path, as the engine names a hit's document or
     * a citation's source) shares a character with the answer passage of {@code q}: the one test of relevance for
     * search hits and answer citations alike.
     */
    public boolean inAnswerPassage(FaqQuestion q, String document, int start, int end) {
        Path answers = answersDirectory().toAbsolutePath().normalize();
        Path source = Path.of(document).toAbsolutePath().normalize();
        return source.startsWith(answers)
                && q.answeredBy(answers.relativize(source).toString().replace('\\', '/'), start, end);
    }

    /** The answer passage of {@code q}. */
    public String passage(FaqQuestion q) {
        return pages.get(q.document()).substring(q.start(), q.end());
    }

    /**
     * What is wrong with the set, empty when nothing: too few questions, a duplicate id or question, a split other
     * than dev/test or an empty half, an answer span outside its page or blank, and any question text left in
     * the indexed pages (answer pages and, when given, distractor pages).
     */
    public List<String> problems(Map<String, String> distractors) {
        List<String> problems = new ArrayList<>();
        if (questions.size() < MIN_QUESTIONS) {
            problems.add(questions.size() + " questions, fewer than " + MIN_QUESTIONS);
        }
        Set<String> ids = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (FaqQuestion q : questions) {
            if (!ids.add(q.id())) {
                problems.add(q.id() + ": duplicate id");
            }
            if (!texts.add(q.question())) {
                problems.add(q.id() + ": question asked twice: " + q.question());
            }
            if (!q.split().equals(DEV) && !q.split().equals(TEST)) {
                problems.add(q.id() + ": split '" + q.split() + "' is neither dev nor test");
            }
            String page = pages.get(q.document());
            if (page == null) {
                problems.add(q.id() + ": no answer page " + q.document());
            } else if (q.start() < 0 || q.end() > page.length() || q.start() >= q.end()) {
                problems.add(q.id() + ": span [" + q.start() + ", " + q.end() + ") outside " + q.document());
            } else if (passage(q).isBlank() || !passage(q).strip().equals(passage(q))) {
                problems.add(q.id() + ": answer passage is blank or not trimmed");
            }
        }
        if (split(DEV).isEmpty() || split(TEST).isEmpty()) {
            problems.add("a split is empty: " + split(DEV).size() + " dev, " + split(TEST).size() + " test");
        }
        for (Map<String, String> indexed : List.of(pages, distractors)) {
            for (Map.Entry<String, String> page : indexed.entrySet()) {
                for (FaqQuestion q : questions) {
                    if (page.getValue().contains(q.question())) {
                        problems.add(q.id() + ": question text left in indexed page " + page.getKey());
                    }
                }
            }
        }
        return problems;
    }
}
