package dev.parallelrag.provider.http;

import dev.parallelrag.embed.EmbeddingModel;
import dev.parallelrag.llm.ChatModel;
import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import dev.parallelrag.provider.spi.WireFormatProvider;
import java.util.function.BiFunction;

/** A wire format of this module: which one it is and the constructors of its models. */
abstract class HttpWireFormat implements WireFormatProvider {

    private final ProviderKind.WireFormat format;
    private final BiFunction<ProviderConfig, String, ChatModel> chat;
    private final BiFunction<ProviderConfig, String, EmbeddingModel> embeddings;

    HttpWireFormat(ProviderKind.WireFormat format, BiFunction<ProviderConfig, String, ChatModel> chat,
                   BiFunction<ProviderConfig, String, EmbeddingModel> embeddings) {
        this.format = format;
        this.chat = chat;
        this.embeddings = embeddings;
    }

    @Override
    public final ProviderKind.WireFormat wireFormat() {
        return format;
    }

    @Override
    public final ChatModel chatModel(ProviderConfig config, String model) {
        return chat.apply(config, model);
    }

    @Override
    public final EmbeddingModel embeddingModel(ProviderConfig config, String model) {
        return embeddings.apply(config, model);
    }
}
