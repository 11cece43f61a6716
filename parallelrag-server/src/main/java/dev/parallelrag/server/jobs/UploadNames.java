package dev.parallelrag.server.jobs;

import dev.parallelrag.error.ValidationException;

/**
 * The rule for an uploaded file's name, which becomes its document's id and source: a relative path of plain
 * names ({@code guide.md}, {@code docs/guide.md}). Anything that would point outside the upload area, or that a
 * file system or a terminal reads in another way, is refused rather than cleaned up, so that what is stored is
 * what the client sent: an absolute path, a drive letter, a {@code .} or {@code ..} segment, a backslash, an empty
 * segment, a NUL or another control character, or a name longer than {@value #MAX_LENGTH} characters. The file
 * itself is stored under a name of the server's choosing, so the uploaded name never reaches the file system.
 */
final class UploadNames {

    /** The longest name taken: the common file-system limit for a path. */
    static final int MAX_LENGTH = 1024;

    private UploadNames() {
    }

    /**
     * The name as the document's source.
     *
     * @param field the request field that carried it, named in the error
     * @throws ValidationException when the name breaks the rule
     */
    static String requireSafe(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw refused(field, name, "is missing; give each file a name (the filename of its part)");
        }
        if (name.length() > MAX_LENGTH) {
            throw refused(field, name, "is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == 0 || Character.isISOControl(c)) {
                throw refused(field, name, "holds a control character (U+" + String.format("%04X", (int) c) + ")");
            }
            if (c == '\\') {
                throw refused(field, name, "holds a backslash; separate folders with '/'");
            }
        }
        if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
            throw refused(field, name, "is an absolute path; give a name relative to the upload, e.g. docs/guide.md");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw refused(field, name, "has an empty, '.' or '..' segment, which could point outside the upload;"
                        + " give a plain relative name, e.g. docs/guide.md");
            }
        }
        return name;
    }

    private static ValidationException refused(String field, String name, String rule) {
        return new ValidationException(field, name == null ? null : printable(name), rule);
    }

    /** The name with control characters shown as escapes, so an error message never carries them. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04X", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
