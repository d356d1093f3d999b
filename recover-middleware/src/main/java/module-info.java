/**
 * Brownout's panic recovery: a crash inside a request or a task becomes one incident (a log line, a
 * meter, a clean problem response). The Servlet and JDK {@code HttpServer} filters are optional
 * adapters: an application that uses one already reads the server's module itself.
 */
// "requires-automatic": Micrometer publishes only an automatic module name.
@SuppressWarnings("requires-automatic")
module dev.brownout.recover {
  requires transitive dev.brownout.core;
  requires micrometer.core;
  requires org.slf4j;
  // Nullness annotations on the API, for users' compilers and checkers; not needed at run time.
  requires static transitive org.jspecify;
  requires static jakarta.servlet; // provided by the servlet container
  requires static jdk.httpserver;

  exports dev.brownout.recover;
  exports dev.brownout.recover.annotation;
  exports dev.brownout.recover.httpserver;
  exports dev.brownout.recover.servlet;
}
