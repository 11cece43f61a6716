package dev.parallelrag.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

/**
 * The POM's {@code spark.jvm.flags} (the tests' and the standalone cluster's JVMs) is a copy of what Spark itself
 * asks for; the launcher's {@code spark-ingest} asks Spark ({@link SparkJvmFlags}). Maven cannot run Spark's class
 * to fill a property before surefire without another plugin, so this keeps the copy from falling behind a Spark
 * upgrade instead.
 */
class SparkJvmFlagsTest {

    @Test
    void thePomsFlagsOpenEveryPackageSparkAsksFor() {
        List<String> pom = Arrays.asList(System.getProperty("parallelrag.spark.jvm.flags", "").trim().split("\\s+"));
        List<String> opens = Arrays.stream(JavaModuleOptions.defaultModuleOptions().trim().split("\\s+"))
                .filter(flag -> flag.startsWith("--add-opens=") || flag.startsWith("--add-modules=")
                        || flag.startsWith("--enable-native-access="))
                .toList();

        assertThat(opens).isNotEmpty();
        assertThat(pom).containsAll(opens);
    }
}
