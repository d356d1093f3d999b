package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.LevelController;
import dev.brownout.degradation.LoadSignal;
import dev.brownout.testing.ManualTicker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport-neutral core, through an exchange held in memory. */
class AdminApiTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Features features = Features.of(brownout);

  @AfterEach
  void close() {
    features.close();
    brownout.close();
  }

  @Test
  void clientsOffLoopbackAreRefusedUnlessAllowed() throws Exception {
    try (AdminApi closed =
            AdminApi.builder(brownout, features).token(AdminOverHttpContract.TOKEN).build();
        AdminApi open =
            AdminApi.builder(brownout, features)
                .token(AdminOverHttpContract.TOKEN)
                .allowRemoteClients()
                .build()) {
      MemoryExchange refused = new MemoryExchange("GET", "/brownout/api/v1/level", false);
      MemoryExchange allowed = new MemoryExchange("GET", "/brownout/api/v1/level", false);

      closed.handle(refused);
      open.handle(allowed);

      assertThat(refused.status).isEqualTo(403);
      assertThat(allowed.status).isEqualTo(200);
    }
  }

  @Test
  void openReadsOnLoopbackStillNeedTheTokenWhenTheHostIsAnotherName() throws Exception {
    try (AdminApi admin =
        AdminApi.builder(brownout, features)
            .token(AdminOverHttpContract.TOKEN)
            .openReadsOnLoopback()
            .build()) {
      MemoryExchange local =
          new MemoryExchange("GET", "/brownout/api/v1/level", true).withoutToken("127.0.0.1:9090");
      MemoryExchange rebound =
          new MemoryExchange("GET", "/brownout/api/v1/level", true)
              .withoutToken("evil.example:9090");

      admin.handle(local);
      admin.handle(rebound);

      assertThat(local.status).isEqualTo(200);
      assertThat(rebound.status).isEqualTo(401);
    }
  }

  @Test
  void loopbackHostsAreTheLoopbackNamesAndAddressesOnly() {
    assertThat(
            List.of(
                "localhost", "LOCALHOST:80", "127.0.0.1", "127.1.2.3:9090", "[::1]", "[::1]:9090"))
        .allMatch(AdminApi::isLoopbackHost);
    assertThat(
            Arrays.asList(
                null,
                "",
                "evil.example",
                "localhost.evil.example",
                "127.0.0.1.evil.example",
                "[::2]",
                "[::1]x",
                "10.0.0.1:80"))
        .noneMatch(AdminApi::isLoopbackHost);
  }

  @Test
  void aFailureInsideTheAdminIsACleanProblem500() throws Exception {
    try (AdminApi admin =
        AdminApi.builder(brownout, features).token(AdminOverHttpContract.TOKEN).build()) {
      MemoryExchange failing =
          new MemoryExchange("GET", "/brownout/api/v1/level", true) {
            @Override
            public boolean fromLoopback() {
              throw new IllegalStateException("secret detail");
            }
          };
      MemoryExchange badName = new MemoryExchange("POST", "/brownout/api/v1/features/%zz", true);
      badName.requestBody = "{\"switch\":\"ON\",\"reason\":\"x\"}";

      admin.handle(failing);
      admin.handle(badName);

      assertThat(failing.status).isEqualTo(500);
      assertThat(failing.toString()).doesNotContain("secret");
      assertThat(failing.headers).containsEntry("Content-Type", "application/problem+json");
      assertThat(badName.status).isEqualTo(404);
    }
  }

  @Test
  void aClosedAdminAnswersEveryRequestWith503AndActsOnNone() throws Exception {
    AdminApi admin =
        AdminApi.builder(brownout, features).token(AdminOverHttpContract.TOKEN).build();
    admin.close();
    MemoryExchange stream = new MemoryExchange("GET", "/brownout/api/v1/events", true);

    MemoryExchange write = new MemoryExchange("POST", "/brownout/api/v1/level", true);
    write.requestBody = "{\"level\":2,\"reason\":\"after close\"}";
    MemoryExchange read = new MemoryExchange("GET", "/brownout/api/v1/state", true);

    admin.handle(stream);
    admin.handle(write);
    admin.handle(read);

    assertThat(stream.status).isEqualTo(503);
    assertThat(write.status).isEqualTo(503);
    assertThat(read.status).isEqualTo(503);
    assertThat(features.level()).as("a closed admin writes nothing").isZero();
  }

  @Test
  void pathsOutsideTheBasePathAre404() throws Exception {
    try (AdminApi admin =
        AdminApi.builder(brownout, features)
            .token(AdminOverHttpContract.TOKEN)
            .basePath("/ops/brownout")
            .build()) {
      MemoryExchange outside = new MemoryExchange("GET", "/ops/brownoutx/api/v1/level", true);
      MemoryExchange inside = new MemoryExchange("GET", "/ops/brownout/api/v1/level", true);

      admin.handle(outside);
      admin.handle(inside);

      assertThat(outside.status).isEqualTo(404);
      assertThat(inside.status).isEqualTo(200);
    }
  }

  @Test
  void everyWriteIsOneAuditLine() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try (AdminApi admin =
        AdminApi.builder(brownout, features).token(AdminOverHttpContract.TOKEN).build()) {
      MemoryExchange write = new MemoryExchange("POST", "/brownout/api/v1/level", true);
      write.requestBody = "{\"level\":2,\"reason\":\"evening peak\"}";
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));

      admin.handle(write);

      assertThat(write.status).as(write.toString()).isEqualTo(200);
    } finally {
      System.setOut(out);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .containsOnlyOnce(
            "INFO dev.brownout.admin.audit - admin level #level: 0 -> 2 by admin reason=evening peak");
    assertThat(features.history().get(features.history().size() - 1).source())
        .as("the history names the admin")
        .isEqualTo("admin");
  }

  @Test
  void theLevelShowsItsCauseAndTheControllersLastDecision() throws Exception {
    ManualTicker ticker = new ManualTicker();
    AtomicReference<Double> load = new AtomicReference<>(0.0);
    try (Brownout timed = Brownout.builder().ticker(ticker).build();
        Features dimmed = Features.of(timed);
        AdminApi admin =
            AdminApi.builder(timed, dimmed).token(AdminOverHttpContract.TOKEN).build()) {
      dimmed.control(
          LevelController.builder(LoadSignal.of("load", load::get), 100)
              .raiseAfter(Duration.ofSeconds(1))
              .build());
      load.set(150.0);
      for (int second = 0; second < 3 && dimmed.level() == 0; second++) {
        ticker.advance(Duration.ofSeconds(1));
        dimmed.refresh();
      }
      dimmed.setLevel(3, "evening peak");
      MemoryExchange level = new MemoryExchange("GET", "/brownout/api/v1/level", true);

      admin.handle(level);

      assertThat(level.toString())
          .startsWith("200 {\"level\":3,\"cause\":\"evening peak\",\"controller\":{")
          .contains("\"kind\":\"level\",\"feature\":\"#level\",\"from\":\"0\",\"to\":\"1\"")
          .contains("\"source\":\"controller\"");
    }
  }

  @Test
  void badSettingsNameTheSettingAndTheValue() {
    AdminApi.Builder builder = AdminApi.builder(brownout, features);

    assertThatThrownBy(builder::build).hasMessageContaining("admin.token must be set");
    assertThatThrownBy(() -> builder.token("short").build())
        .hasMessageStartingWith("admin.token must be at least 16 characters")
        .hasMessageEndingWith("but was a text of 5 characters")
        .hasMessageNotContaining("short");
    assertThatThrownBy(() -> builder.basePath("brownout/"))
        .hasMessage(
            "admin.basePath must be a path such as /brownout, without a final /, but was 'brownout/'");
    assertThatThrownBy(() -> builder.maxBodyBytes(0)).hasMessageContaining("admin.maxBodyBytes");
    assertThatThrownBy(() -> builder.clientQueue(1)).hasMessageContaining("admin.clientQueue");
  }

  @Test
  void theTokenMatchesOnlyItselfAsABearer() {
    Token token = new Token(AdminOverHttpContract.TOKEN);

    assertThat(token.matches("Bearer " + AdminOverHttpContract.TOKEN)).isTrue();
    assertThat(token.matches("bearer " + AdminOverHttpContract.TOKEN)).isTrue();
    assertThat(token.matches(AdminOverHttpContract.TOKEN)).isFalse();
    assertThat(token.matches("Basic " + AdminOverHttpContract.TOKEN)).isFalse();
    assertThat(token.matches("Bearer " + AdminOverHttpContract.TOKEN.substring(1))).isFalse();
    assertThat(token.matches(null)).isFalse();
    assertThat(token.matches("Bearer ")).isFalse();
  }

  @Test
  void theApplicationsOwnRoutesCheckTheSameToken() {
    try (AdminApi admin =
        AdminApi.builder(brownout, features).token(AdminOverHttpContract.TOKEN).build()) {
      assertThat(admin.authorizes("Bearer " + AdminOverHttpContract.TOKEN)).isTrue();
      assertThat(admin.authorizes("Bearer " + AdminOverHttpContract.TOKEN + "x")).isFalse();
      assertThat(admin.authorizes(null)).isFalse();
    }
  }
}
