package dev.brownout.processor;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/** Compiles small sources with the processor through javax.tools, as a user's build would. */
public final class Compilation {

  private final List<Diagnostic<? extends JavaFileObject>> diagnostics;
  private final Path output;
  private final boolean success;

  private Compilation(
      List<Diagnostic<? extends JavaFileObject>> diagnostics, Path output, boolean success) {
    this.diagnostics = diagnostics;
    this.output = output;
    this.success = success;
  }

  /**
   * Compiles {@code sources}, each "qualified.Name" followed by its code, with -Xlint:all -Werror.
   */
  public static Compilation compile(String... namesAndCode) {
    return compileWith(List.of(), namesAndCode);
  }

  /**
   * Compiles {@code sources} as {@link #compile} does, with {@code others} running after Brownout's
   * processor.
   */
  public static Compilation compileWith(List<Processor> others, String... namesAndCode) {
    return compile(others, "", namesAndCode);
  }

  /**
   * Compiles {@code sources} as {@link #compile} does, without the classpath entries whose path
   * contains {@code absent} (a module the user's build lacks).
   */
  public static Compilation compileWithout(String absent, String... namesAndCode) {
    return compile(List.of(), absent, namesAndCode);
  }

  private static Compilation compile(
      List<Processor> others, String absent, String... namesAndCode) {
    try {
      Path output = Files.createTempDirectory("brownout-processor");
      JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
      DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
      List<JavaFileObject> files = new ArrayList<>();
      for (int i = 0; i < namesAndCode.length; i += 2) {
        files.add(source(namesAndCode[i], namesAndCode[i + 1]));
      }
      try (StandardJavaFileManager fileManager =
          compiler.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
        fileManager.setLocationFromPaths(StandardLocation.CLASS_OUTPUT, List.of(output));
        fileManager.setLocationFromPaths(StandardLocation.SOURCE_OUTPUT, List.of(output));
        String classpath =
            Stream.of(
                    System.getProperty(
                            "surefire.test.class.path", System.getProperty("java.class.path"))
                        .split(File.pathSeparator))
                .filter(entry -> absent.isEmpty() || !entry.contains(absent))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> options =
            List.of(
                "-classpath",
                classpath,
                "--release",
                "17",
                "-Xlint:all",
                "-Xlint:-processing",
                "-Werror");
        JavaCompiler.CompilationTask task =
            compiler.getTask(null, fileManager, collector, options, null, files);
        List<Processor> processors = new ArrayList<>(List.of(new GuardProcessor()));
        processors.addAll(others);
        task.setProcessors(processors);
        boolean success = task.call();
        return new Compilation(collector.getDiagnostics(), output, success);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compiles {@code shop.Service} from {@code code} and checks that it fails with exactly {@code
   * message}, pointing at a line that contains {@code onLineContaining}.
   */
  static void assertError(String code, String onLineContaining, String message) {
    Compilation compilation = compile("shop.Service", code);
    if (compilation.succeeded()) {
      throw new AssertionError("compiled, but expected the error \"" + message + "\"");
    }
    String line = compilation.lineOfError(message);
    if (!line.contains(onLineContaining)) {
      throw new AssertionError(
          "the error points at \"" + line + "\", not at \"" + onLineContaining + "\"");
    }
  }

  private static JavaFileObject source(String name, String code) {
    return new SimpleJavaFileObject(
        URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }

  public boolean succeeded() {
    return success;
  }

  /** Errors as "line: message", in the order javac reported them. */
  public List<String> errors() {
    List<String> errors = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR
          || diagnostic.getKind() == Diagnostic.Kind.WARNING
          || diagnostic.getKind() == Diagnostic.Kind.MANDATORY_WARNING) {
        errors.add(diagnostic.getLineNumber() + ": " + diagnostic.getMessage(Locale.ROOT));
      }
    }
    return errors;
  }

  /**
   * The source line that the error reported with exactly {@code message} points at, so that a test
   * names the offending text rather than a line number; fails listing every error if there is none.
   */
  public String lineOfError(String message) {
    Diagnostic<? extends JavaFileObject> error = error(message);
    String source = source(error);
    int position = (int) error.getPosition();
    int start = source.lastIndexOf('\n', position - 1) + 1;
    int end = source.indexOf('\n', position);
    return source.substring(start, end < 0 ? source.length() : end);
  }

  /**
   * The source text from where the error reported with exactly {@code message} points, to the end
   * of its line.
   */
  public String textAtError(String message) {
    Diagnostic<? extends JavaFileObject> error = error(message);
    String source = source(error);
    int position = (int) error.getPosition();
    int end = source.indexOf('\n', position);
    return source.substring(position, end < 0 ? source.length() : end);
  }

  private Diagnostic<? extends JavaFileObject> error(String message) {
    for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics) {
      if (diagnostic.getKind() == Diagnostic.Kind.ERROR
          && diagnostic.getMessage(Locale.ROOT).equals(message)) {
        return diagnostic;
      }
    }
    throw new AssertionError("no error \"" + message + "\" among " + errors());
  }

  private static String source(Diagnostic<? extends JavaFileObject> diagnostic) {
    if (diagnostic.getSource() == null || diagnostic.getPosition() == Diagnostic.NOPOS) {
      throw new AssertionError("the error has no position in a source: " + diagnostic);
    }
    try {
      return diagnostic.getSource().getCharContent(true).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated source of {@code qualifiedName}. */
  public String generated(String qualifiedName) throws IOException {
    return Files.readString(output.resolve(qualifiedName.replace('.', '/') + ".java"));
  }

  /** A class loader over the compiled classes (and this test's classpath). */
  public ClassLoader loader() {
    try {
      return new URLClassLoader(new URL[] {output.toUri().toURL()}, getClass().getClassLoader());
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every generated or compiled file, for diagnosing a failed expectation. */
  public List<Path> files() throws IOException {
    try (Stream<Path> walk = Files.walk(output)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
