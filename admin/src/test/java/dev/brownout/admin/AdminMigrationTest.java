package dev.brownout.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brownout.core.Brownout;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Switch;
import dev.brownout.degradation.SwitchChange;
import dev.brownout.migration.Experiment;
import dev.brownout.migration.Shift;
import java.io.File;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Experiments and shifts in the admin: their views, the shift writes, the shift events. */
class AdminMigrationTest {

  private final Brownout brownout = Brownout.builder().build();
  private final Features features = Features.of(brownout);
  private final AdminApi admin =
      AdminApi.builder(brownout, features).token(AdminOverHttpContract.TOKEN).build();

  @AfterEach
  void close() {
    admin.close();
    features.close();
    brownout.close();
  }

  private Shift<String> shift() {
    return Shift.<String>builder("comments-v2", brownout, features)
        .steps(25, 50, 100)
        .compareFirst()
        .build();
  }

  private MemoryExchange get(String route) throws Exception {
    MemoryExchange exchange = new MemoryExchange("GET", "/brownout/api/v1/" + route, true);
    admin.handle(exchange);
    return exchange;
  }

  private MemoryExchange post(String route, String body) throws Exception {
    MemoryExchange exchange = new MemoryExchange("POST", "/brownout/api/v1/" + route, true);
    exchange.requestBody = body;
    admin.handle(exchange);
    return exchange;
  }

  @Test
  void aShiftIsShownWithItsStateShareAndDecisions() throws Exception {
    Shift<String> shift = shift();
    for (int key = 0; key < 40; key++) {
      shift.call(key, () -> "old", () -> "new");
    }

    MemoryExchange shifts = get("shifts");
    MemoryExchange state = get("state");

    assertThat(shifts.toString())
        .startsWith("200 [{\"name\":\"comments-v2\",\"state\":\"COMPARING\",\"step\":0,")
        .contains("\"share\":0.0")
        .contains("\"oldCalls\":40,\"oldErrors\":0,\"newCalls\":0")
        .contains("\"lastDecision\":null,\"decisionCount\":0,\"decisions\":[]");
    assertThat(state.toString()).contains("\"shifts\":[{\"name\":\"comments-v2\"");
  }

  @Test
  void everyShiftActionNeedsAReasonAndAnswersWithTheShiftAfterIt() throws Exception {
    Shift<String> shift = shift();

    assertThat(post("shifts/comments-v2", "{\"action\":\"start\"}").status)
        .as("no reason")
        .isEqualTo(400);
    assertThat(post("shifts/comments-v2", "{\"action\":\"jump\",\"reason\":\"x\"}").toString())
        .startsWith("400 ")
        .contains("action must be one of start, pause, resume, promote, rollback, but was jump");
    assertThat(
            post("shifts/comments-v2", "{\"action\":\"start\",\"reason\":\"canary\"}").toString())
        .startsWith("200 {\"name\":\"comments-v2\",\"state\":\"SHIFTING\",\"step\":0,")
        .contains("\"share\":25.0");
    assertThat(post("shifts/comments-v2", "{\"action\":\"start\",\"reason\":\"again\"}").toString())
        .as("a shift starts once")
        .startsWith("409 ")
        .contains("is SHIFTING: it takes pause, promote, rollback");
    assertThat(
            post("shifts/comments-v2", "{\"action\":\"pause\",\"reason\":\"store slow\"}")
                .toString())
        .contains("\"state\":\"PAUSED\"");
    assertThat(post("shifts/comments-v2", "{\"action\":\"resume\",\"reason\":\"over\"}").toString())
        .contains("\"state\":\"SHIFTING\"");
    assertThat(
            post("shifts/comments-v2", "{\"action\":\"rollback\",\"reason\":\"slow\"}").toString())
        .contains("\"state\":\"ROLLED_BACK\"", "\"share\":0.0");
    assertThat(shift.state()).isEqualTo(Shift.State.ROLLED_BACK);
    assertThat(features.feature("shift-comments-v2").state().setting().reason()).endsWith("slow");
    assertThat(
            post("shifts/comments-v2", "{\"action\":\"promote\",\"reason\":\"fixed\"}").toString())
        .contains("\"state\":\"PROMOTED\"", "\"share\":100.0");
    assertThat(
            features.history().stream()
                .filter(change -> change.feature().equals("shift-comments-v2"))
                .map(SwitchChange::source))
        .as("every action through the admin is recorded as the admin's")
        .endsWith("admin", "admin", "admin", "admin", "admin");
    assertThat(post("shifts/nothing", "{\"action\":\"pause\",\"reason\":\"x\"}").status)
        .isEqualTo(404);
    assertThat(get("shifts/comments-v2").status).as("a shift is read in the list").isEqualTo(405);
  }

  @Test
  void anActionTheShiftsStateDoesNotTakeIs409AndChangesNothing() throws Exception {
    Shift<String> shift = shift();

    assertThat(post("shifts/comments-v2", "{\"action\":\"pause\",\"reason\":\"x\"}").toString())
        .startsWith("409 ")
        .contains("is COMPARING: it takes start, promote, rollback");
    assertThat(shift.state()).isEqualTo(Shift.State.COMPARING);
    shift.promote("done");
    assertThat(post("shifts/comments-v2", "{\"action\":\"resume\",\"reason\":\"x\"}").status)
        .as("a resume would undo the promotion")
        .isEqualTo(409);
    assertThat(shift.state()).isEqualTo(Shift.State.PROMOTED);
  }

  @Test
  void aShiftEventGoesOutWhenTheShiftChangesAndOnlyThen() throws Exception {
    Shift<String> shift = shift();
    EventHub hub = new EventHub(16, 16);
    EventHub.Client client = hub.subscribe(null);
    MigrationViews views = new MigrationViews(brownout, new AdminAudit());

    views.tick(hub);
    views.tick(hub);
    shift.start("canary");
    views.tick(hub);

    assertThat(new String(client.next(1000).frame(), StandardCharsets.UTF_8))
        .startsWith("id: ")
        .contains("event: shift\n")
        .contains("\"state\":\"COMPARING\"");
    assertThat(new String(client.next(1000).frame(), StandardCharsets.UTF_8))
        .contains("\"state\":\"SHIFTING\"", "\"share\":25.0");
    assertThat(client.next(10)).as("nothing changed between the first two ticks").isNull();
  }

  @Test
  void anExperimentIsShownWithItsSamplingVerdictsAndNoiseReport() throws Exception {
    Experiment<Map<String, Object>> experiment =
        Experiment.<Map<String, Object>>builder(
                brownout,
                features.define("comments.compare").initially(Switch.rollout(10)).register())
            .onCallerThread()
            .noise(1.0)
            .build();
    features.set("comments.compare", Switch.on().because("compare all"), "test");
    for (int call = 0; call < 30; call++) {
      int c = call;
      experiment.run(
          () -> Map.of("order", List.of(1, 2), "renderedAt", System.nanoTime() + c),
          () -> Map.of("order", List.of(2, 1), "renderedAt", System.nanoTime() + c));
    }

    MemoryExchange experiments = get("experiments");

    assertThat(experiments.toString())
        .startsWith(
            "200 [{\"name\":\"comments.compare\",\"sampling\":\"ON\",\"sampledPercent\":100.0,")
        .contains("\"MISMATCH\":30")
        .contains("\"compared\":30,\"noiseSamples\":30")
        .contains("{\"path\":\"order[order]\",\"finding\":\"REAL\",\"oldVsNew\":30,\"oldVsOld\":0")
        .contains("{\"path\":\"renderedAt\",\"finding\":\"NOISE\"");
  }

  @Test
  void withoutTheMigrationModuleTheSectionsAreEmptyAndAShiftWriteIs404() throws Exception {
    List<URL> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
      Path path = Path.of(entry);
      boolean migration =
          path.endsWith(Path.of("migration", "target", "classes"))
              || path.getFileName().toString().startsWith("migration-");
      if (!migration) {
        classPath.add(path.toUri().toURL());
      }
    }
    try (URLClassLoader loader =
        new URLClassLoader(classPath.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThat(loader.getResource("dev/brownout/migration/Shift.class")).isNull();
      assertThat(loader.getResource("dev/brownout/admin/AdminApi.class")).isNotNull();
      Object runtime = call(call(type(loader, "dev.brownout.core.Brownout"), "builder"), "build");
      Object features = call(type(loader, "dev.brownout.degradation.Features"), "of", runtime);
      Object builder =
          call(type(loader, "dev.brownout.admin.AdminApi"), "builder", runtime, features);
      Object isolated = call(call(builder, "token", AdminOverHttpContract.TOKEN), "build");
      Object server = call(type(loader, "dev.brownout.admin.AdminServer"), "start", isolated, 0);
      try {
        URI base = (URI) call(server, "uri");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> state =
            client.send(
                HttpRequest.newBuilder(base.resolve("api/v1/state"))
                    .header("Authorization", "Bearer " + AdminOverHttpContract.TOKEN)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> write =
            client.send(
                HttpRequest.newBuilder(base.resolve("api/v1/shifts/any"))
                    .header("Authorization", "Bearer " + AdminOverHttpContract.TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"action\":\"pause\",\"reason\":\"x\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(state.statusCode()).isEqualTo(200);
        assertThat(state.body()).contains("\"experiments\":[],\"shifts\":[]");
        assertThat(write.statusCode()).isEqualTo(404);
        assertThat(write.body()).contains("the migration module is not present");
      } finally {
        call(server, "close");
        call(isolated, "close");
        call(runtime, "close");
      }
    }
  }

  private static Class<?> type(ClassLoader loader, String name) throws ClassNotFoundException {
    return Class.forName(name, true, loader);
  }

  /** Calls the public method {@code name} of {@code target} (a class: a static method). */
  private static Object call(Object target, String name, Object... arguments) throws Exception {
    Class<?> type = target instanceof Class<?> c ? c : target.getClass();
    for (Method method : type.getMethods()) {
      if (method.getName().equals(name) && accepts(method.getParameterTypes(), arguments)) {
        return method.invoke(target instanceof Class<?> ? null : target, arguments);
      }
    }
    throw new NoSuchMethodException(type.getName() + "." + name);
  }

  private static boolean accepts(Class<?>[] parameters, Object[] arguments) {
    if (parameters.length != arguments.length) {
      return false;
    }
    for (int i = 0; i < parameters.length; i++) {
      Class<?> parameter = parameters[i] == int.class ? Integer.class : parameters[i];
      if (!parameter.isInstance(arguments[i])) {
        return false;
      }
    }
    return true;
  }
}
