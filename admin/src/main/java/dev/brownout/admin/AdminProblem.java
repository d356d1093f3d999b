package dev.brownout.admin;

import java.util.Map;

/**
 * A request the admin refuses: answered as {@code application/problem+json} with its status, a
 * title and a detail that says what to send instead.
 */
final class AdminProblem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String title;
  final transient Map<String, String> headers;

  AdminProblem(int status, String title, String detail) {
    this(status, title, detail, Map.of());
  }

  AdminProblem(int status, String title, String detail, Map<String, String> headers) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.headers = headers;
  }

  String detail() {
    return String.valueOf(getMessage());
  }
}
