package dev.brownout.demo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The builds of the comments backend that the service migrates between, each served by the
 * simulated comments service at its own path ({@code /comments/7} for v1, {@code
 * /comments-v2.0/7}...), all reading the same comments store, so that a slow store slows every
 * build alike.
 *
 * <ul>
 *   <li>v1, as it runs today: comments in the order they were posted;
 *   <li>v2.0, its rewrite, which orders the comments of one question in {@value #REORDERED_EVERY}
 *       by author instead (the bug the experiment finds);
 *   <li>v2.1, the order fixed, but {@value #SLOW_MILLIS} ms slower on {@value #SLOW_PERCENT} % of
 *       reads (a query that lost its index: the shift rolls it back);
 *   <li>v2.2, fixed.
 * </ul>
 *
 * Every answer starts with the time it was rendered, which differs between any two reads of any
 * build: the noise an experiment must not count as a mismatch.
 */
enum CommentsBuild {
  V1("comments", "v1"),
  V2_0("comments-v2.0", "v2.0"),
  V2_1("comments-v2.1", "v2.1"),
  V2_2("comments-v2.2", "v2.2");

  static final int REORDERED_EVERY = 3;
  static final int SLOW_PERCENT = 50;
  static final int SLOW_MILLIS = 25;

  private static final String RENDERED = "rendered-at ";

  private final String path;
  private final String version;

  CommentsBuild(String path, String version) {
    this.path = path;
    this.version = version;
  }

  /** The path segment the comments service serves this build at. */
  String path() {
    return path;
  }

  String version() {
    return version;
  }

  /** The build served at {@code path}, or null. */
  static CommentsBuild at(String path) {
    for (CommentsBuild build : values()) {
      if (build.path.equals(path)) {
        return build;
      }
    }
    return null;
  }

  /** The time this build adds to a read of the store, drawn for one read. */
  long extraMillis() {
    return this == V2_1 && ThreadLocalRandom.current().nextInt(100) < SLOW_PERCENT
        ? SLOW_MILLIS
        : 0;
  }

  /** The answer for question {@code id}: its rendering time, then one comment per line. */
  String answer(String id) {
    int question;
    try {
      question = Integer.parseInt(id);
    } catch (NumberFormatException e) {
      question = 0;
    }
    List<CommentThread.Comment> comments = new ArrayList<>(posted(question));
    if (this == V2_0 && question % REORDERED_EVERY == 0) {
      comments.sort(Comparator.comparing(CommentThread.Comment::author));
    }
    return RENDERED + Instant.now() + "\n" + String.join("\n", new CommentThread(comments).lines());
  }

  /** The comments of a question as posted: three, by authors in no particular order. */
  private static List<CommentThread.Comment> posted(int question) {
    return List.of(
        new CommentThread.Comment("user-" + Math.floorMod(question * 3, 17), "Great question!"),
        new CommentThread.Comment(
            "user-" + Math.floorMod(question * 7 + 5, 17), "This saved my weekend."),
        new CommentThread.Comment("user-" + Math.floorMod(question * 11 + 9, 17), "Same here."));
  }

  /** Reads an answer back; the inverse of {@link #answer}. */
  static CommentThread parse(String body) {
    List<String> lines = body.lines().toList();
    if (lines.isEmpty() || !lines.get(0).startsWith(RENDERED)) {
      throw new IllegalArgumentException("not a comments answer: " + body);
    }
    List<CommentThread.Comment> comments = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(": ");
      if (colon < 0) {
        throw new IllegalArgumentException("not a comment: " + line);
      }
      comments.add(new CommentThread.Comment(line.substring(0, colon), line.substring(colon + 2)));
    }
    return new CommentThread(
        List.copyOf(comments), Instant.parse(lines.get(0).substring(RENDERED.length())));
  }
}
