package dev.brownout.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuardNamesTest {

  @Test
  void generatedClassLivesInTheSamePackageWithAPrefixedName() {
    assertThat(GuardNames.generatedClassName("com.shop.OrderService"))
        .isEqualTo("com.shop.Guarded_OrderService");
  }

  @Test
  void nestedTypesJoinTheirSimpleNames() {
    assertThat(GuardNames.generatedClassName("com.shop.Outer$Inner"))
        .isEqualTo("com.shop.Guarded_Outer_Inner");
    assertThat(GuardNames.generatedClassName("TopLevel")).isEqualTo("Guarded_TopLevel");
  }

  @Test
  void defaultGuardNameIsClassDotMethod() {
    assertThat(GuardNames.defaultGuardName("OrderService", "place"))
        .isEqualTo("OrderService.place");
  }

  @Test
  void configKeyFollowsTheDocumentedShape() {
    assertThat(GuardNames.configKey("OrderService.place", "circuitBreaker", "failureRateThreshold"))
        .isEqualTo("brownout.guard.OrderService.place.circuitBreaker.failureRateThreshold");
  }

  @Test
  void blankPartsAreRejectedByName() {
    assertThatThrownBy(() -> GuardNames.configKey("g", " ", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("policy must be non-blank, but was ' '");
  }
}
