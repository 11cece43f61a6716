package dev.parallelrag.testkit;

import java.util.List;

/** The provider-neutral meaning of a parsed request, and the content the server computes for it. */
final class Calls {

    private Calls() {
    }

    /** A parsed request. */
    sealed interface Call permits Chat, Embed {
        /** Tokens charged against a tokens-per-minute limit. */
        long tokenCost();
    }

    /**
     * A chat request.
     *
     * @param maxTokens completion limit, or 0 for none
     */
    record Chat(String model, List<String> messageTexts, String lastUserMessage, int maxTokens, boolean stream,
                boolean includeUsage) implements Call {
        Chat {
            messageTexts = List.copyOf(messageTexts);
        }

        /** This call with its completion limit lowered to {@code limit}; a smaller limit the request set stays. */
        Chat limitedTo(int limit) {
            int m = maxTokens == 0 ? limit : Math.min(maxTokens, limit);
            return new Chat(model, messageTexts, lastUserMessage, m, stream, includeUsage);
        }

        List<String> pieces() {
            return FakeContent.answerPieces(lastUserMessage, maxTokens);
        }

        String text() {
            return String.join("", pieces());
        }

        int promptTokens() {
            return FakeContent.promptTokens(messageTexts);
        }

        int completionTokens() {
            return pieces().size();
        }

        boolean truncated() {
            return FakeContent.truncatedBy(lastUserMessage, maxTokens);
        }

        @Override
        public long tokenCost() {
            return (long) promptTokens() + completionTokens();
        }
    }

    /** An embedding request for one or more texts. */
    record Embed(String model, List<String> texts, int dimension, boolean base64) implements Call {
        Embed {
            texts = List.copyOf(texts);
        }

        int inputTokens() {
            int n = 0;
            for (String t : texts) {
                n += FakeContent.tokenCount(t);
            }
            return n;
        }

        /** The vectors to return: one per text, or a wrong count when the fault asks for it. */
        List<float[]> vectors(boolean wrongCount) {
            List<String> source = texts;
            if (wrongCount) {
                source = texts.size() > 1 ? texts.subList(0, texts.size() - 1) : List.of(texts.get(0), texts.get(0));
            }
            return source.stream().map(t -> FakeContent.embedding(t, dimension)).toList();
        }

        @Override
        public long tokenCost() {
            return inputTokens();
        }
    }
}
