package dev.brownout.demo;

import java.time.Instant;
import java.util.List;

/** A question's comments as a comments backend answers them, and when it rendered them. */
record CommentThread(List<Comment> comments, Instant renderedAt) {

  /** Comments rendered now. */
  CommentThread(List<Comment> comments) {
    this(List.copyOf(comments), Instant.now());
  }

  /** One comment. */
  record Comment(String author, String text) {}

  /** The comments as a page shows them, one line each. */
  List<String> lines() {
    return comments.stream().map(c -> c.author() + ": " + c.text()).toList();
  }
}
