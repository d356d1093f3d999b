package dev.brownout.demo;

import java.io.IOException;
import java.util.List;

/** The calls the Q&A service makes to its dependencies. */
interface Downstream {

  CommentThread comments(CommentsBuild build, int question) throws IOException;

  String avatar(String user) throws IOException;

  List<String> recommendations(int question) throws IOException;
}
