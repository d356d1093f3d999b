package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.recover.Incident;
import dev.brownout.recover.Recover;
import dev.brownout.recover.servlet.RecoverFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class DispatcherRecoverFilterTest {

  private final List<Incident> incidents = new CopyOnWriteArrayList<>();
  private final DispatcherRecoverFilter filter =
      new DispatcherRecoverFilter(
          new RecoverFilter(
              Recover.builder().log((incident, thrown) -> incidents.add(incident)).build()));

  @Test
  void anUncheckedExceptionInsideMvcsWrapperIsTheIncident() throws Exception {
    MockHttpServletResponse response = run(throwing(wrapped(new IllegalStateException("boom"))));

    assertThat(response.getStatus()).isEqualTo(500);
    assertThat(incidents)
        .singleElement()
        .extracting(Incident::throwableClass)
        .isEqualTo(IllegalStateException.class.getName());
  }

  @Test
  void aCheckedCauseStaysWrapped() throws Exception {
    run(throwing(wrapped(new IOException("disk"))));

    assertThat(incidents)
        .singleElement()
        .extracting(Incident::throwableClass)
        .isEqualTo(ServletException.class.getName());
  }

  @Test
  void aSubclassOfServletExceptionIsNotUnwrapped() throws Exception {
    run(throwing(new UnavailableException("maintenance")));

    assertThat(incidents)
        .singleElement()
        .extracting(Incident::throwableClass)
        .isEqualTo(UnavailableException.class.getName());
  }

  @Test
  void aRequestThatDoesNotCrashPassesThrough() throws Exception {
    MockHttpServletResponse response = run((request, res) -> res.getWriter().write("ok"));

    assertThat(response.getContentAsString()).isEqualTo("ok");
    assertThat(incidents).isEmpty();
  }

  private MockHttpServletResponse run(FilterChain chain) throws Exception {
    MockHttpServletResponse response = new MockHttpServletResponse();
    filter.doFilter(new MockHttpServletRequest("GET", "/crash"), response, chain);
    return response;
  }

  private static ServletException wrapped(Throwable cause) {
    return new ServletException("Request processing failed: " + cause, cause);
  }

  private static FilterChain throwing(ServletException thrown) {
    return (request, response) -> {
      throw thrown;
    };
  }
}
