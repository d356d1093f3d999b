package dev.brownout.demo.docs;

import dev.brownout.recover.Places;
import dev.brownout.recover.ProblemResponse;
import dev.brownout.recover.Recover;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** docs/recovery.md's adapter of one's own, written as a Servlet filter so a test can run it. */
final class ProblemFilter implements Filter {

  private final Recover recover;

  ProblemFilter(Recover recover) {
    this.recover = recover;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    String place = Places.http(request.getMethod(), request.getRequestURI());
    // docs:begin
    try {
      chain.doFilter(request, response);
    } catch (Throwable thrown) {
      ProblemResponse problem = recover.respond(place, thrown, response.isCommitted());
      if (problem.closesConnection()) {
        throw problem.abort();                 // a stackless IOException naming the incident
      }
      response.reset();
      response.setStatus(problem.status());
      response.setContentType(problem.contentType());
      problem.headers().forEach(response::setHeader);
      response.getOutputStream().write(problem.body());
    }
    // docs:end
  }
}
