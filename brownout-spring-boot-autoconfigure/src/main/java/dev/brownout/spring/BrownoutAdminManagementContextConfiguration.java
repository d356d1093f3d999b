package dev.brownout.spring;

import dev.brownout.admin.AdminApi;
import dev.brownout.admin.AdminServlet;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The admin page and its JSON API ({@code docs/admin.md}) on the management server, at {@code
 * /actuator/brownout-admin/} (under {@code management.endpoints.web.base-path}), when {@code
 * brownout.admin.enabled=true}. Registered as a management context configuration, it follows {@code
 * management.server.port}: on a separate port it is served there and not on the application's.
 *
 * <p>{@code brownout.admin.token} is required: a blank or malformed token fails startup naming that
 * key. The admin answers loopback clients only unless {@code
 * brownout.admin.allow-remote-clients=true}.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnClass({AdminServlet.class, ServletRegistrationBean.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "brownout.admin.enabled", havingValue = "true")
@ConditionalOnBean({Brownout.class, Features.class})
public class BrownoutAdminManagementContextConfiguration {

  /** The admin's path under the actuator base path. */
  public static final String PATH = "brownout-admin";

  private static final String TOKEN_KEY = "brownout.admin.token";

  /** Created by Spring. */
  public BrownoutAdminManagementContextConfiguration() {}

  /** The admin over the runtime, its features and the incidents kept; its thread stops on close. */
  @Bean(destroyMethod = "close")
  AdminApi brownoutAdmin(
      Brownout brownout,
      Features features,
      ObjectProvider<RecentIncidents> incidents,
      Environment environment) {
    BrownoutProperties.Admin settings =
        Binder.get(environment).bindOrCreate("brownout.admin", BrownoutProperties.Admin.class);
    String token = settings.getToken();
    if (token == null || token.isBlank()) {
      throw new InvalidConfigurationPropertyValueException(
          TOKEN_KEY,
          "",
          "must be set when brownout.admin.enabled=true: every admin read and write sends it");
    }
    AdminApi.Builder admin = AdminApi.builder(brownout, features).basePath(basePath(environment));
    incidents.ifUnique(admin::incidents);
    if (settings.isAllowRemoteClients()) {
      admin.allowRemoteClients();
    }
    try {
      return admin.token(token).build();
    } catch (IllegalArgumentException badToken) {
      // The admin's own rule, without the token's value.
      throw new InvalidConfigurationPropertyValueException(
          TOKEN_KEY, "(hidden)", badToken.getMessage());
    }
  }

  /** The admin's servlet, mapped to its base path on the management server. */
  @Bean
  ServletRegistrationBean<AdminServlet> brownoutAdminServlet(AdminApi brownoutAdmin) {
    ServletRegistrationBean<AdminServlet> registration =
        new ServletRegistrationBean<>(
            new AdminServlet(brownoutAdmin), brownoutAdmin.basePath() + "/*");
    registration.setName("brownoutAdmin");
    return registration;
  }

  /** {@code /actuator/brownout-admin}, or {@code /brownout-admin} with a base path of {@code /}. */
  static String basePath(Environment environment) {
    String actuator = environment.getProperty("management.endpoints.web.base-path", "/actuator");
    StringBuilder path = new StringBuilder(actuator.strip());
    if (path.length() == 0 || path.charAt(0) != '/') {
      path.insert(0, '/');
    }
    if (path.charAt(path.length() - 1) != '/') {
      path.append('/');
    }
    return path.append(PATH).toString();
  }
}
