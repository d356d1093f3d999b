package dev.brownout.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.health.AdditionalHealthEndpointPath;
import org.springframework.boot.actuate.health.HealthEndpointGroup;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.actuate.health.HttpCodeStatusMapper;
import org.springframework.boot.actuate.health.StatusAggregator;

/**
 * Makes one health contributor a member of the readiness group and of no other, the overall health
 * included: a contributor bean is otherwise a member of the overall health, which a load balancer
 * or a liveness probe may read.
 *
 * <p>Runs after Spring Boot's own post-processor that adds the probe groups (both have the lowest
 * precedence; the auto-configuration that registers this one comes after Boot's), so the readiness
 * group it creates is seen here.
 */
final class ReadinessOnly implements HealthEndpointGroupsPostProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(ReadinessOnly.class);
  static final String READINESS = "readiness";

  private final String contributor;

  ReadinessOnly(String contributor) {
    this.contributor = contributor;
  }

  @Override
  public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
    if (!groups.getNames().contains(READINESS)) {
      LOG.warn(
          "brownout.health.readiness.enabled is true but there is no readiness health group, so no"
              + " health group shows the breakers; set management.endpoint.health.probes.enabled=true");
    }
    Map<String, HealthEndpointGroup> named = new LinkedHashMap<>();
    for (String name : groups.getNames()) {
      named.put(name, new Membership(groups.get(name), name.equals(READINESS)));
    }
    return HealthEndpointGroups.of(new Membership(groups.getPrimary(), false), named);
  }

  /** A group with the contributor's membership decided here and everything else its own. */
  private final class Membership implements HealthEndpointGroup {
    private final HealthEndpointGroup group;
    private final boolean member;

    Membership(HealthEndpointGroup group, boolean member) {
      this.group = group;
      this.member = member;
    }

    @Override
    public boolean isMember(String name) {
      return name.equals(contributor) ? member : group.isMember(name);
    }

    @Override
    public boolean showComponents(SecurityContext securityContext) {
      return group.showComponents(securityContext);
    }

    @Override
    public boolean showDetails(SecurityContext securityContext) {
      return group.showDetails(securityContext);
    }

    @Override
    public StatusAggregator getStatusAggregator() {
      return group.getStatusAggregator();
    }

    @Override
    public HttpCodeStatusMapper getHttpCodeStatusMapper() {
      return group.getHttpCodeStatusMapper();
    }

    @Override
    public AdditionalHealthEndpointPath getAdditionalPath() {
      return group.getAdditionalPath();
    }
  }
}
