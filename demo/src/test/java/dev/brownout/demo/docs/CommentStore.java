package dev.brownout.demo.docs;

// docs:begin
import dev.brownout.migration.annotation.ExperimentWith;
import dev.brownout.migration.annotation.ShiftKey;
import dev.brownout.migration.annotation.ShiftTo;
import java.util.List;

public interface CommentStore {

  record Comment(long id, String text) {}

  @ExperimentWith(candidate = "commentsV2", feature = "comments.v2-store", percent = 5, timeout = "200ms")
  List<Comment> comments(@ShiftKey long questionId);   // the old path: its answer is the caller's

  List<Comment> commentsV2(long questionId);           // the new path: same parameters, same result

  @ShiftTo(method = "authorV2", name = "author-store", steps = {1, 10, 50, 100}, fallBackToOld = true)
  String author(@ShiftKey String userId, int avatarSize);

  String authorV2(String userId, int avatarSize);
}
// docs:end
