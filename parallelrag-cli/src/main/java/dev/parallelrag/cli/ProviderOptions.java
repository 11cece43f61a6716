package dev.parallelrag.cli;

import dev.parallelrag.provider.ProviderConfig;
import dev.parallelrag.provider.ProviderKind;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** Resolves a {@code --provider} name to a provider config built from the environment. */
final class ProviderOptions {

    private ProviderOptions() {
    }

    static ProviderKind kind(CommandLine.Model.CommandSpec spec, String name, List<ProviderKind> allowed) {
        ProviderKind kind = Arrays.stream(ProviderKind.values())
                .filter(k -> k.id().equals(name.toLowerCase(Locale.ROOT))).findFirst().orElse(null);
        if (kind == null || !allowed.contains(kind)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--provider: unknown value '" + name
                    + "'; use one of " + String.join("|", allowed.stream().map(ProviderKind::id).toList()));
        }
        return kind;
    }

    /** The config from the environment; a missing key or base URL is a usage error naming the variable. */
    static ProviderConfig config(CommandLine.Model.CommandSpec spec, ProviderKind kind, CliIo io) {
        try {
            return ProviderConfig.builder(kind).environment(io.env()::apply).build();
        } catch (dev.parallelrag.error.ValidationException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
