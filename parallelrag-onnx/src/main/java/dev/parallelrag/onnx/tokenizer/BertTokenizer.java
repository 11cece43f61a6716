package dev.parallelrag.onnx.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parallelrag.Internal;
import dev.parallelrag.error.ValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pure-Java BERT WordPiece tokenizer built from a HuggingFace {@code tokenizer.json}: special tokens
 * matched in the raw text, then {@link BertNormalizer}, {@link BertPreTokenizer} and {@link WordPiece}.
 * It returns every token: it never truncates (long texts are windowed by the model, not cut here), and
 * it does not add {@code [CLS]}/{@code [SEP]} ({@link #clsId()}, {@link #sepId()} are for the caller).
 *
 * <p>Thread-safe and immutable.
 */
@Internal
public final class BertTokenizer {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> vocab;
    private final String[] idToToken;
    private final boolean[] continuation;
    private final BertNormalizer normalizer;
    private final WordPiece wordPiece;
    private final List<String> addedTokens;
    private final String addedTokenFirstChars;
    private final int clsId;
    private final int sepId;
    private final int padId;

    private BertTokenizer(Map<String, Integer> vocab, BertNormalizer normalizer, String unkToken, String prefix,
                          int maxCharsPerWord, List<String> addedTokens, int clsId, int sepId, int padId, String source) {
        this.vocab = Map.copyOf(vocab);
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.idToToken = new String[maxId + 1];
        this.continuation = new boolean[maxId + 1];
        vocab.forEach((token, id) -> {
            idToToken[id] = token;
            continuation[id] = token.startsWith(prefix);
        });
        this.normalizer = normalizer;
        Integer unk = vocab.get(unkToken);
        if (unk == null) {
            throw new ValidationException("tokenizer.json model.unk_token", unkToken, "is not in the vocabulary of " + source);
        }
        this.wordPiece = new WordPiece(this.vocab, unk, prefix, maxCharsPerWord);
        // longest first, so that one added token that is a prefix of another never wins over it
        List<String> sorted = new ArrayList<>(addedTokens);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.addedTokens = List.copyOf(sorted);
        StringBuilder firsts = new StringBuilder();
        for (String t : sorted) {
            if (!t.isEmpty() && firsts.indexOf(t.substring(0, 1)) < 0) {
                firsts.append(t.charAt(0));
            }
        }
        this.addedTokenFirstChars = firsts.toString();
        this.clsId = clsId;
        this.sepId = sepId;
        this.padId = padId;
    }

    /** Reads a {@code tokenizer.json} file; a missing or unsupported file fails with a ValidationException naming it. */
    public static BertTokenizer fromJson(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ValidationException("tokenizerPath", file.toAbsolutePath(),
                    "is not a readable file; give the path of the model's HuggingFace tokenizer.json");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return fromJson(in, file.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new ValidationException("tokenizerPath", file.toAbsolutePath(), "could not be read: " + e.getMessage());
        }
    }

    /** Reads a {@code tokenizer.json} from a stream; {@code source} names it in error messages. */
    public static BertTokenizer fromJson(InputStream in, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (IOException e) {
            throw new ValidationException("tokenizer.json", source, "is not valid JSON: " + e.getMessage());
        }
        JsonNode model = root.path("model");
        require(source, "model.type", model.path("type").asText(), "WordPiece");
        JsonNode vocabNode = model.path("vocab");
        if (!vocabNode.isObject() || vocabNode.isEmpty()) {
            throw new ValidationException("tokenizer.json model.vocab", source, "must be a non-empty object of token to id");
        }
        Map<String, Integer> vocab = new HashMap<>(vocabNode.size() * 2);
        vocabNode.fields().forEachRemaining(e -> vocab.put(e.getKey(), e.getValue().asInt()));

        JsonNode norm = root.path("normalizer");
        BertNormalizer normalizer;
        if (norm.isMissingNode() || norm.isNull()) {
            normalizer = new BertNormalizer(false, false, false, false);
        } else {
            require(source, "normalizer.type", norm.path("type").asText(), "BertNormalizer");
            boolean lowercase = norm.path("lowercase").asBoolean(true);
            JsonNode strip = norm.path("strip_accents");
            // HuggingFace: strip_accents null means "follow lowercase"
            boolean stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
            normalizer = new BertNormalizer(norm.path("clean_text").asBoolean(true),
                    norm.path("handle_chinese_chars").asBoolean(true), stripAccents, lowercase);
        }
        JsonNode pre = root.path("pre_tokenizer");
        if (!pre.isMissingNode() && !pre.isNull()) {
            require(source, "pre_tokenizer.type", pre.path("type").asText(), "BertPreTokenizer");
        }
        List<String> added = new ArrayList<>();
        for (JsonNode t : root.path("added_tokens")) {
            added.add(t.path("content").asText());
        }
        String unkToken = model.path("unk_token").asText("[UNK]");
        String prefix = model.path("continuing_subword_prefix").asText("##");
        int maxChars = model.path("max_input_chars_per_word").asInt(100);
        int cls = specialId(root, vocab, "[CLS]", source);
        int sep = specialId(root, vocab, "[SEP]", source);
        int pad = vocab.getOrDefault("[PAD]", 0);
        return new BertTokenizer(vocab, normalizer, unkToken, prefix, maxChars, added, cls, sep, pad, source);
    }

    private static int specialId(JsonNode root, Map<String, Integer> vocab, String token, String source) {
        JsonNode fromTemplate = root.path("post_processor").path("special_tokens").path(token).path("ids").path(0);
        if (fromTemplate.isInt()) {
            return fromTemplate.asInt();
        }
        Integer id = vocab.get(token);
        if (id == null) {
            throw new ValidationException("tokenizer.json vocab", source, "has no " + token + " token; a BERT model needs it");
        }
        return id;
    }

    private static void require(String source, String field, String actual, String expected) {
        if (!expected.equals(actual)) {
            throw new ValidationException("tokenizer.json " + field, actual,
                    "is not supported in " + source + "; only " + expected + " (BERT WordPiece) tokenizers are");
        }
    }

    /** Token ids of the text, without special tokens and without truncation. */
    public int[] encode(String text) {
        IntList ids = new IntList(Math.max(16, text.length() / 3));
        int segmentStart = 0;
        int i = 0;
        while (i < text.length()) {
            String added = addedTokenAt(text, i);
            if (added == null) {
                i++;
                continue;
            }
            encodeSegment(text.substring(segmentStart, i), ids);
            ids.add(vocab.get(added));
            i += added.length();
            segmentStart = i;
        }
        encodeSegment(text.substring(segmentStart), ids);
        return ids.toArray();
    }

    /** The token strings of {@link #encode(String)}, for tests and debugging. */
    public List<String> tokens(String text) {
        int[] ids = encode(text);
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(idToToken[id]);
        }
        return out;
    }

    private String addedTokenAt(String text, int i) {
        if (addedTokenFirstChars.indexOf(text.charAt(i)) < 0) {
            return null;
        }
        for (String t : addedTokens) {
            if (!t.isEmpty() && text.startsWith(t, i) && vocab.containsKey(t)) {
                return t;
            }
        }
        return null;
    }

    private void encodeSegment(String segment, IntList ids) {
        if (segment.isEmpty()) {
            return;
        }
        BertPreTokenizer.forEachWord(normalizer.normalize(segment), word -> wordPiece.tokenize(word, ids::add));
    }

    /** True when the token continues the previous one's word (starts with {@code ##}): windows never start there. */
    public boolean isContinuation(int id) {
        return id >= 0 && id < continuation.length && continuation[id];
    }

    public String token(int id) {
        return idToToken[id];
    }

    public int vocabularySize() {
        return vocab.size();
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int padId() {
        return padId;
    }

    /** A growable int array, so that tokenizing does not box every id. */
    private static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[capacity];
        }

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
