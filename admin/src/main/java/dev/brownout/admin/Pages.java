package dev.brownout.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.jspecify.annotations.Nullable;

/**
 * The files of the admin page ({@code dev/brownout/admin/page/} among the module's resources), read
 * once when the admin is built. The allow-list is fixed then: a request names a file of that list
 * or gets a 404, so no path a client sends ever reaches the class loader or the file system.
 */
final class Pages {

  static final String FOLDER = "page/";

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("html", "text/html; charset=utf-8"),
          Map.entry("js", "text/javascript; charset=utf-8"),
          Map.entry("mjs", "text/javascript; charset=utf-8"),
          Map.entry("css", "text/css; charset=utf-8"),
          Map.entry("json", "application/json"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("png", "image/png"),
          Map.entry("ico", "image/x-icon"),
          Map.entry("txt", "text/plain; charset=utf-8"),
          Map.entry("woff2", "font/woff2"),
          Map.entry("webmanifest", "application/manifest+json"));

  /** A file of the page: its bytes (never changed after loading) and content type. */
  static final class File {
    private final byte[] bytes;
    private final String contentType;

    File(byte[] bytes, String contentType) {
      this.bytes = bytes;
      this.contentType = contentType;
    }

    byte[] bytes() {
      return bytes;
    }

    String contentType() {
      return contentType;
    }
  }

  private final Map<String, File> files;

  private Pages(Map<String, File> files) {
    this.files = files;
  }

  /** The page files among the resources next to {@link Pages}. */
  static Pages load() {
    return load(FOLDER);
  }

  /** The files of {@code folder} (a resource folder next to {@link Pages}, ending in /). */
  static Pages load(String folder) {
    Map<String, File> files = new TreeMap<>();
    for (String name : listFolder(folder)) {
      String type = contentType(name);
      if (type == null) {
        continue; // a file of a type the page does not use is not served
      }
      try (InputStream in = Pages.class.getResourceAsStream(folder + name)) {
        if (in != null) {
          files.put(name, new File(in.readAllBytes(), type));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the admin page file " + name, e);
      }
    }
    return new Pages(Map.copyOf(files));
  }

  @Nullable File file(String name) {
    return files.get(name);
  }

  Set<String> names() {
    return files.keySet();
  }

  /**
   * Only flat names of letters, digits, dots, dashes and underscores, never starting with a dot.
   */
  static boolean isPlainName(String name) {
    return name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*");
  }

  private static @Nullable String contentType(String name) {
    int dot = name.lastIndexOf('.');
    return dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The names of the files in the page folder, wherever the module's classes are. */
  private static Set<String> listFolder(String folderName) {
    TreeSet<String> names = new TreeSet<>();
    names.add("index.html");
    URL folder = Pages.class.getResource(folderName);
    if (folder == null) {
      return names;
    }
    try {
      if (folder.getProtocol().equals("file")) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(folder.toURI()))) {
          for (Path entry : entries) {
            if (Files.isRegularFile(entry)) {
              names.add(entry.getFileName().toString());
            }
          }
        }
      } else if (folder.getProtocol().equals("jar")
          && folder.openConnection() instanceof JarURLConnection connection) {
        connection.setUseCaches(false);
        String prefix = connection.getEntryName();
        try (JarFile jar = connection.getJarFile()) {
          for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
            String entry = entries.nextElement().getName();
            if (entry.startsWith(prefix) && entry.indexOf('/', prefix.length()) < 0) {
              names.add(entry.substring(prefix.length()));
            }
          }
        }
      }
    } catch (IOException | java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot list the admin page files at " + folder, e);
    }
    names.removeIf(name -> !isPlainName(name));
    return names;
  }
}
