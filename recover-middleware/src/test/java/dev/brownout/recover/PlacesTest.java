package dev.brownout.recover;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlacesTest {

  @Test
  void anHttpPlaceIsTheMethodAndTheFirstPathSegment() {
    assertThat(Places.http("GET", "/orders/17/lines")).isEqualTo("GET /orders");
    assertThat(Places.http("POST", "/orders?draft=true")).isEqualTo("POST /orders");
    assertThat(Places.http("GET", "/orders;jsessionid=abc/17")).isEqualTo("GET /orders");
    assertThat(Places.http("DELETE", "/")).isEqualTo("DELETE /");
    assertThat(Places.http("GET", null)).isEqualTo("GET /");
  }

  @Test
  void anInventedMethodIsOther() {
    assertThat(Places.http("BREW", "/pot")).isEqualTo("OTHER /pot");
    assertThat(Places.http("get", "/pot")).isEqualTo("OTHER /pot");
    assertThat(Places.http(null, "/pot")).isEqualTo("OTHER /pot");
  }

  @Test
  void aLongFirstSegmentIsCut() {
    assertThat(Places.http("GET", "/" + "a".repeat(10_000)))
        .isEqualTo("GET /" + "a".repeat(Places.MAX_SEGMENT));
  }

  @Test
  void aThreadPlaceHidesTheNumbersThatTellAPoolsThreadsApart() {
    assertThat(Places.thread(new Thread(() -> {}, "pool-3-thread-12")))
        .isEqualTo("pool-#-thread-#");
  }
}
