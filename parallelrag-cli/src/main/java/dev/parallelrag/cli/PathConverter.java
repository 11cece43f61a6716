package dev.parallelrag.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Turns a command-line argument into a path, or a usage error that says why it cannot be one. The JVM decodes
 * arguments and file names with the locale's encoding ({@code sun.jnu.encoding}); under {@code LANG=C} that is
 * US-ASCII, and a non-ASCII argument cannot be turned back into file-name bytes. The launcher sets a UTF-8
 * locale, so this is met only when the jar is run directly.
 */
final class PathConverter implements CommandLine.ITypeConverter<Path> {

    @Override
    public Path convert(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new CommandLine.TypeConversionException("'" + CliErrors.oneLine(value) + "' cannot be a file name: "
                    + e.getReason() + " (this JVM encodes file names as " + System.getProperty("sun.jnu.encoding")
                    + ", from the locale); run it through the parallelrag launcher, which sets a UTF-8 locale, "
                    + "or set LC_ALL=C.UTF-8");
        }
    }
}
