/**
 * Brownout's admin: a versioned JSON API over a runtime's features, level, breakers, bulkheads,
 * executors, limiters, incidents, experiments and shifts, a live event stream, and the static admin
 * page, served by the JDK {@code HttpServer} or a Servlet container. The adapters are optional: an
 * application that uses one already reads the server's module itself.
 */
module dev.brownout.admin {
  requires transitive dev.brownout.core;
  requires transitive dev.brownout.degradation;
  requires transitive dev.brownout.recover;
  requires org.slf4j;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;
  // Experiments and shifts are shown when the application uses the migration module.
  requires static dev.brownout.migration;
  requires static jakarta.servlet; // provided by the servlet container
  requires static jdk.httpserver;

  exports dev.brownout.admin;
}
