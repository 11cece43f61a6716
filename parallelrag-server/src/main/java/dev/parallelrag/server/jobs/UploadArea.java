package dev.parallelrag.server.jobs;

import dev.parallelrag.error.StoreException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/**
 * The private directory uploads are written to until their job has read them: readable by this user only, one
 * subdirectory per upload, which the job deletes when it ends. Files are stored under names of the server's
 * choosing (a number and the uploaded extension, which picks the reader), never under the uploaded name.
 */
final class UploadArea {

    private final Path root;

    private UploadArea(Path root) {
        this.root = root;
    }

    /** A new area in the system's temporary directory. */
    static UploadArea inTempDirectory() {
        try {
            return new UploadArea(posix()
                    ? Files.createTempDirectory("parallelrag-uploads-", PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")))
                    : Files.createTempDirectory("parallelrag-uploads-"));
        } catch (IOException e) {
            throw new StoreException("cannot create the upload directory in " + System.getProperty("java.io.tmpdir")
                    + ": " + e.getMessage() + "; free space there or set java.io.tmpdir", e);
        }
    }

    /** An area at {@code root}, created if missing. */
    static UploadArea at(Path root) {
        try {
            Files.createDirectories(root);
            return new UploadArea(root);
        } catch (IOException e) {
            throw new StoreException("cannot create the upload directory " + root + ": " + e.getMessage(), e);
        }
    }

    Path root() {
        return root;
    }

    /** A fresh directory for one upload. */
    Path newUpload() {
        try {
            return Files.createDirectory(root.resolve("upload-" + UUID.randomUUID()));
        } catch (FileAlreadyExistsException e) {
            return newUpload();
        } catch (IOException e) {
            throw new StoreException("cannot create a directory for an upload in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Where the {@code index}-th file of an upload is stored: its number and the uploaded name's extension. */
    static Path fileFor(Path upload, int index, String uploadedName) {
        String last = uploadedName.substring(uploadedName.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        String extension = dot > 0 ? last.substring(dot).replaceAll("[^A-Za-z0-9.]", "") : "";
        return upload.resolve(String.format("%06d%s", index, extension));
    }

    /** Removes an upload's directory and the files in it (it holds files only, no subdirectories). */
    static void delete(Path upload) {
        try (java.util.stream.Stream<Path> files = Files.list(upload)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(upload);
        } catch (IOException e) {
            // what is left is in the private temporary area, and the next start uses a new one
        }
    }

    /** Removes the whole area: every upload left in it. */
    static void deleteAll(UploadArea area) {
        try (java.util.stream.Stream<Path> entries = Files.list(area.root)) {
            for (Path e : entries.toList()) {
                if (Files.isDirectory(e)) {
                    delete(e);
                } else {
                    Files.deleteIfExists(e);
                }
            }
            Files.deleteIfExists(area.root);
        } catch (IOException e) {
            // a private temporary directory: what is left goes with the system's temporary files
        }
    }

    private static boolean posix() {
        return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
