package dev.parallelrag.cli;

import dev.parallelrag.testkit.TestkitMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code parallelrag testkit}: runs the fake provider server (see docs/testkit.md) until Ctrl-C. */
@Command(name = "testkit", description = {"Run the loopback fake provider (OpenAI, Anthropic, Gemini, Ollama) until Ctrl-C.",
        "Options: --host H --port P --latency-ms MS --rpm N --tpm N --dimension D --fault-rate R --seed S --api-key K"})
public final class TestkitCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        return TestkitMain.run(args.toArray(String[]::new), System.out, System.err);
    }
}
