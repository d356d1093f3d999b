package dev.brownout.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.admin.AdminApi;
import dev.brownout.admin.AdminServlet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.servlet.ServletManagementContextAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.servlet.DispatcherServletAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.env.MockEnvironment;

class BrownoutAdminManagementContextConfigurationTest {

  private static final String TOKEN = "brownout.admin.token=a-token-of-twenty-chars";

  /** The management context on the application's port: the imports file brings the admin in. */
  private final WebApplicationContextRunner web =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  BrownoutAutoConfiguration.class,
                  BrownoutRecoverAutoConfiguration.class,
                  DispatcherServletAutoConfiguration.class,
                  EndpointAutoConfiguration.class,
                  WebEndpointAutoConfiguration.class,
                  ManagementContextAutoConfiguration.class,
                  ServletManagementContextAutoConfiguration.class));

  @Test
  void theAdminIsOffByDefault() {
    web.withPropertyValues(TOKEN)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AdminApi.class));
  }

  @Test
  void enabledItServesTheAdminServletUnderTheActuatorPath() {
    web.withPropertyValues("brownout.admin.enabled=true", TOKEN)
        .run(
            context -> {
              assertThat(context).hasSingleBean(AdminApi.class);
              ServletRegistrationBean<?> registration =
                  context.getBean("brownoutAdminServlet", ServletRegistrationBean.class);
              assertThat(registration.getServlet()).isInstanceOf(AdminServlet.class);
              assertThat(registration.getUrlMappings())
                  .containsExactly("/actuator/brownout-admin/*");
            });
  }

  @Test
  void aMissingTokenFailsStartupNamingTheKey() {
    web.withPropertyValues("brownout.admin.enabled=true", "brownout.admin.token= ")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("brownout.admin.token"));
  }

  @Test
  void aShortTokenFailsStartupNamingTheKeyButNotTheToken() {
    web.withPropertyValues("brownout.admin.enabled=true", "brownout.admin.token=short-secret")
        .run(
            context ->
                assertThat(context)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("brownout.admin.token")
                    .hasMessageContaining("at least 16 characters")
                    .hasMessageNotContaining("short-secret"));
  }

  @Test
  void nothingWithoutTheAdminModule() {
    web.withClassLoader(new FilteredClassLoader(AdminServlet.class))
        .withPropertyValues("brownout.admin.enabled=true", TOKEN)
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AdminApi.class));
  }

  @Test
  void thePathFollowsTheActuatorBasePath() {
    assertThat(BrownoutAdminManagementContextConfiguration.basePath(new MockEnvironment()))
        .isEqualTo("/actuator/brownout-admin");
    assertThat(
            BrownoutAdminManagementContextConfiguration.basePath(
                new MockEnvironment().withProperty("management.endpoints.web.base-path", "/")))
        .isEqualTo("/brownout-admin");
    assertThat(
            BrownoutAdminManagementContextConfiguration.basePath(
                new MockEnvironment()
                    .withProperty("management.endpoints.web.base-path", "/manage/")))
        .isEqualTo("/manage/brownout-admin");
  }
}
