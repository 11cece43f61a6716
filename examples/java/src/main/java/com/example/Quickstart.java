package com.example;

import dev.parallelrag.llm.LlmClient;
import dev.parallelrag.lucene.LuceneVectorStore;
import dev.parallelrag.onnx.OnnxEmbeddingModel;
import dev.parallelrag.pipeline.Answer;
import dev.parallelrag.pipeline.IngestConfig;
import dev.parallelrag.pipeline.IngestListener;
import dev.parallelrag.pipeline.IngestPipeline;
import dev.parallelrag.pipeline.Rag;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.Providers;
import dev.parallelrag.runtime.ParallelRuntime;
import dev.parallelrag.split.Splitters;
import java.nio.file.Path;
import java.util.List;

public class Quickstart {
    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        String question = args[1];
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2();
             LuceneVectorStore store = LuceneVectorStore.open(Path.of(".parallelrag"));
             ParallelRuntime runtime = ParallelRuntime.create()) {
            IngestConfig config = IngestConfig.builder(Splitters.recursive(1000, 200)).build();
            System.out.print(new IngestPipeline(config, model, store, runtime).run(List.of(folder), IngestListener.NONE).toText());

            // no LLM: the indexed sentences closest to the question, each with its numbered source
            print(Rag.builder(model, store).build().ask(question));

            // an LLM on any OpenAI-compatible endpoint (OPENAI_BASE_URL, OPENAI_API_KEY) writes the answer
            if (System.getenv("OPENAI_BASE_URL") != null) {
                try (LlmClient llm = Providers.llmClient(ProviderKind.COMPATIBLE, "gpt-4o-mini")) {
                    print(Rag.builder(model, store).chatModel(llm).build().ask(question));
                }
            }
        }
    }

    static void print(Answer answer) {
        System.out.println(answer.mode() + ": " + answer.text());
        answer.citations().forEach(c -> System.out.println("[" + c.number() + "] " + c.source() + ", lines " + c.lineStart() + "-" + c.lineEnd()));
    }
}
