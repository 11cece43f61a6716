package dev.parallelrag.cli.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The project's public API classes on the test class path: every public class under {@code dev.parallelrag}
 * in the main classes of the modules (the CLI's own test classes are left out), except those in an
 * {@code internal} package or marked with an annotation named {@code Internal}.
 */
final class ProjectClasses {

    private static final String ROOT = "dev/parallelrag/";

    private ProjectClasses() {
    }

    static List<Class<?>> publicApi() {
        TreeSet<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = ProjectClasses.class.getClassLoader().getResources(ROOT);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if (url.getProtocol().equals("jar")) {
                    addFromJar(url, names);
                } else if (url.getProtocol().equals("file")) {
                    Path root = Path.of(url.toURI());
                    if (!root.toString().contains("test-classes")) {
                        addFromDirectory(root.getParent().getParent(), root, names);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> classes = new ArrayList<>();
        for (String name : names) {
            Class<?> c = load(name);
            if (isPublicApi(c)) {
                classes.add(c);
            }
        }
        return classes;
    }

    private static void addFromDirectory(Path classesDir, Path root, TreeSet<String> names) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class"))
                    .forEach(p -> addClassFile(classesDir.relativize(p).toString().replace('\\', '/'), names));
        }
    }

    private static void addFromJar(URL url, TreeSet<String> names) throws IOException {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
            for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
                String entry = entries.nextElement().getName();
                if (entry.startsWith(ROOT)) {
                    addClassFile(entry, names);
                }
            }
        }
    }

    private static void addClassFile(String path, TreeSet<String> names) {
        if (path.endsWith(".class") && !path.endsWith("package-info.class") && !path.endsWith("module-info.class")) {
            names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ProjectClasses.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("cannot load " + name + " from the test class path: " + e, e);
        }
    }

    /** Public, reachable from outside (every enclosing class public too), and not marked internal. */
    private static boolean isPublicApi(Class<?> c) {
        if (c.isAnonymousClass() || c.isSynthetic() || c.isLocalClass()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers()) || isInternal(k)) {
                return false;
            }
        }
        return !(c.getPackageName() + ".").contains(".internal.") && !isGenerated(c);
    }

    /** Protocol Buffers messages generated from a .proto file (the ONNX model format) are not written API. */
    private static boolean isGenerated(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            if (k.getName().startsWith("com.google.protobuf.")) {
                return true;
            }
        }
        for (Class<?> i : c.getInterfaces()) {
            if (i.getName().startsWith("com.google.protobuf.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isInternal(Class<?> c) {
        for (var a : c.getAnnotations()) {
            if (a.annotationType().getSimpleName().equals("Internal")) {
                return true;
            }
        }
        return false;
    }
}
