package dev.parallelrag.spark;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Prints the JVM flags Spark needs on this JDK ({@link JavaModuleOptions#defaultModuleOptions()}: the
 * {@code --add-opens} of the packages Spark reaches into), for a launcher that starts a Spark JVM without
 * {@code spark-submit}: the {@code parallelrag} script's {@code spark-ingest} asks Spark itself, once per build.
 */
public final class SparkJvmFlags {

    private SparkJvmFlags() {
    }

    public static void main(String[] args) {
        System.out.println(JavaModuleOptions.defaultModuleOptions());
    }
}
