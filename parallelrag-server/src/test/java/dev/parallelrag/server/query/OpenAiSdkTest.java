package dev.parallelrag.server.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.parallelrag.engine.Embeddings;
import dev.parallelrag.llm.CompletionOptions;
import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.server.ServerConfig;
import dev.parallelrag.testkit.FakeContent;
import dev.parallelrag.testkit.FakeProviderServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Must show 1 of the server issue: the official OpenAI Java SDK, unchanged, against the server on the sample index
 * with no LLM gets a streamed answer that ends with {@code [DONE]} and carries citations and a non-zero usage; also
 * the answer unstreamed, the models and embeddings, and the path through an LLM (the testkit's fake OpenAI server).
 */
@Timeout(180)
class OpenAiSdkTest {

    private static final String QUESTION = "What did Lincoln say about the slave trade?";

    @TempDir
    static Path dir;

    private static Path index;
    private static SampleServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        index = SampleServer.index(dir);
        server = SampleServer.start(index);
        client = sdk(server);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    private static OpenAIClient sdk(SampleServer s) {
        return OpenAIOkHttpClient.builder().baseUrl(s.openAiBaseUrl()).apiKey("any-key").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams streamed() {
        return ChatCompletionCreateParams.builder().model("parallelrag").addUserMessage(QUESTION)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    }

    private static List<ChatCompletionChunk> stream(OpenAIClient c, ChatCompletionCreateParams params) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = c.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunks::add);
        }
        return chunks;
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        return chunks.stream().flatMap(c -> c.choices().stream()).map(ch -> ch.delta().content().orElse(""))
                .collect(Collectors.joining());
    }

    /** The {@code citations} extension of a message or chunk, as the sources' paths. */
    private static List<String> citedSources(Map<String, JsonValue> extras) {
        JsonValue citations = extras.get("citations");
        assertThat(citations).as("citations").isNotNull();
        List<String> sources = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode citation : citations.convert(com.fasterxml.jackson.databind.JsonNode.class)) {
            assertThat(citation.has("number") && citation.has("chunk_id") && citation.has("text")).as(citation.toString()).isTrue();
            sources.add(citation.get("source").asText());
        }
        return sources;
    }

    @Test
    void aStreamedAnswerWithoutAnLlmCarriesCitationsAndUsageAndEndsWithDone() throws Exception {
        List<ChatCompletionChunk> chunks = stream(client, streamed());
        assertThat(chunks).hasSizeGreaterThan(3);
        assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
        Answer expected = server.engine.ask(server.engine.query(QUESTION).build());
        assertThat(text(chunks)).isEqualTo(expected.text()).contains("[1]");

        ChatCompletionChunk last = chunks.stream().filter(c -> !c.choices().isEmpty()
                && c.choices().getFirst().finishReason().isPresent()).findFirst().orElseThrow();
        assertThat(last.choices().getFirst().finishReason().orElseThrow())
                .isEqualTo(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(citedSources(last._additionalProperties())).hasSize(expected.citations().size())
                .allMatch(s -> s.endsWith(".txt"));

        CompletionUsage usage = chunks.getLast().usage().orElseThrow();
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(usage.totalTokens()).isPositive().isEqualTo(usage.promptTokens() + usage.completionTokens());
        assertThat(usage.completionTokens()).isPositive();
        assertThat(chunks).extracting(ChatCompletionChunk::id).containsOnly(chunks.getFirst().id());

        // what the SDK reads up to: the wire ends with the [DONE] marker
        HttpResponse<String> raw = server.post("/v1/chat/completions", "{\"model\":\"parallelrag\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}");
        assertThat(raw.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void anUnstreamedAnswerCarriesCitationsOnTheMessageAndUsage() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("parallelrag").addSystemMessage("You are terse.").addUserMessage("Hello").addAssistantMessage("Hi.")
                .addUserMessage(QUESTION).build());
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.message().content()).contains(server.engine.ask(server.engine.query(QUESTION).build()).text());
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        assertThat(citedSources(choice.message()._additionalProperties())).isNotEmpty();
        assertThat(completion.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(completion.model()).isEqualTo("parallelrag");
    }

    @Test
    void modelsListTheChatModelAndTheEmbedderAndAnUnknownModelIs404() {
        List<String> ids = client.models().list().data().stream().map(Model::id).toList();
        assertThat(ids).containsExactly("parallelrag", server.engine.embedder().modelId());
        assertThat(client.models().retrieve("parallelrag").id()).isEqualTo("parallelrag");
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-4o")
                .addUserMessage(QUESTION).build())).isInstanceOf(NotFoundException.class).hasMessageContaining("parallelrag");
    }

    @Test
    void embeddingsAreTheIndexEmbeddersVectors() {
        String model = server.engine.embedder().modelId();
        CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder().model(model)
                .inputOfArrayOfStrings(List.of("the slave trade", "the union")).build());
        Embeddings expected = server.engine.embed(List.of("the slave trade", "the union"));
        assertThat(response.data()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            List<Float> got = response.data().get(i).embedding();
            float[] want = expected.vectors().get(i);
            assertThat(got).hasSize(SampleServer.DIMENSION);
            for (int d = 0; d < want.length; d++) {
                assertThat(got.get(d)).isEqualTo(want[d]);
            }
        }
        assertThat(response.usage().promptTokens()).isEqualTo(expected.usage().promptTokens()).isPositive();
        assertThat(response.model()).isEqualTo(model);
    }

    @Test
    void withAnLlmTheStreamIsTheModelsTokensWithItsUsage() throws Exception {
        try (FakeProviderServer fake = FakeProviderServer.builder().start();
             LlmClient llm = Providers.llmClient(ProviderConfig.builder(ProviderKind.OPENAI).baseUrl(fake.openAiBaseUrl())
                     .apiKey("k").build(), "gpt-4o-mini");
             SampleServer withLlm = SampleServer.start(index, llm, ServerConfig.DEFAULT_SSE_HEARTBEAT)) {
            OpenAIClient c = sdk(withLlm);
            List<ChatCompletionChunk> chunks = stream(c, streamed());
            String text = text(chunks);
            assertThat(text).startsWith("echo: Sources:").contains(SampleServer.LINCOLN);
            assertThat(chunks.stream().filter(ch -> !ch.choices().isEmpty() && ch.choices().getFirst().delta().content()
                    .filter(s -> !s.isEmpty()).isPresent()).count()).isGreaterThan(10); // token by token, as the LLM sent them
            CompletionUsage usage = chunks.getLast().usage().orElseThrow();
            assertThat(usage.completionTokens()).isEqualTo(FakeContent.tokenCount(text));
            assertThat(usage.promptTokens()).isPositive();
            Optional<ChatCompletionChunk> last = chunks.stream().filter(ch -> ch._additionalProperties().containsKey("citations"))
                    .findFirst();
            assertThat(citedSources(last.orElseThrow()._additionalProperties())).hasSize(5);

            ChatCompletion whole = c.chat().completions().create(ChatCompletionCreateParams.builder().model("parallelrag")
                    .addUserMessage(QUESTION).build());
            assertThat(whole.choices().getFirst().message().content().orElseThrow()).startsWith("echo: Sources:");
            assertThat(whole.usage().orElseThrow().completionTokens()).isPositive();
            // the testkit echoes the prompt with its five sources, past the default limit of 1,024 tokens
            assertThat(whole.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
            assertThat(chunks.stream().filter(ch -> !ch.choices().isEmpty())
                    .flatMap(ch -> ch.choices().getFirst().finishReason().stream()).toList())
                    .containsExactly(ChatCompletionChunk.Choice.FinishReason.LENGTH);
            ChatCompletion roomy = c.chat().completions().create(ChatCompletionCreateParams.builder().model("parallelrag")
                    .addUserMessage(QUESTION).maxCompletionTokens(100_000).build());
            assertThat(roomy.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
            assertThat(FakeContent.tokenCount(roomy.choices().getFirst().message().content().orElseThrow()))
                    .isGreaterThan(CompletionOptions.DEFAULT_MAX_TOKENS);

            // a limit the answer is cut at: the LLM is asked for it, and the answer says it stopped there
            ChatCompletion cut = c.chat().completions().create(ChatCompletionCreateParams.builder().model("parallelrag")
                    .addUserMessage(QUESTION).maxCompletionTokens(3).build());
            assertThat(cut.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
            assertThat(FakeContent.tokenCount(cut.choices().getFirst().message().content().orElseThrow())).isEqualTo(3);
            List<ChatCompletionChunk> cutStream = stream(c, ChatCompletionCreateParams.builder().model("parallelrag")
                    .addUserMessage(QUESTION).maxTokens(3).build());
            assertThat(cutStream.stream().filter(ch -> !ch.choices().isEmpty())
                    .flatMap(ch -> ch.choices().getFirst().finishReason().stream()).toList())
                    .containsExactly(ChatCompletionChunk.Choice.FinishReason.LENGTH);
            assertThat(fake.requestCount("/v1/chat/completions")).isEqualTo(5);
            c.close();
        }
    }
}
