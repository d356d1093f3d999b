package dev.brownout.admin.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.brownout.admin.AdminApi;
import dev.brownout.admin.AdminServer;
import dev.brownout.admin.RecentIncidents;
import dev.brownout.core.Brownout;
import dev.brownout.core.CircuitBreaker;
import dev.brownout.core.CircuitBreakerConfig;
import dev.brownout.core.LimiterConfig;
import dev.brownout.core.executor.ExecutorConfig;
import dev.brownout.degradation.Features;
import dev.brownout.degradation.Priority;
import dev.brownout.degradation.Switch;
import dev.brownout.migration.Experiment;
import dev.brownout.migration.Shift;
import dev.brownout.recover.Incident;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * The admin page in a real headless Chromium, served by a real {@link AdminServer}: every section
 * renders, a switch or a shift action made in the page reaches the Java API, the stream brings a
 * breaker's and a shift's new state into its row within a second or two, the page works by keyboard
 * at both widths, logs no console error and loads nothing from another origin. Screenshots at 1280
 * and 390 px go to {@code target/}.
 */
class AdminPageBrowserTest {

  private static final Path SHOTS = Path.of("target", "admin-page");

  private final String token = AdminApi.randomToken();
  private Brownout brownout;
  private Features features;
  private CircuitBreaker payments;
  private Shift<String> reviews;
  private AdminApi admin;
  private AdminServer server;
  private ChromeDriver browser;

  @BeforeEach
  void serve(@TempDir Path profile) throws Exception {
    brownout = Brownout.builder().build();
    features = Features.of(brownout);
    features.define("shop").priority(Priority.P1).register();
    features.define("shop.suggestions").priority(Priority.P3).register();
    features
        .define("shop.reviews")
        .priority(Priority.P2)
        .initially(Switch.rollout(25).because("new reviews service"))
        .register();
    payments = brownout.circuitBreaker("payments", CircuitBreakerConfig.ofDefaults());
    brownout.guard("payments").circuitBreaker(payments).build();
    brownout.executor(
        "fanout",
        ExecutorConfig.builder().maxRunning(4).maxQueued(8).partition("suggestions", 50).build());
    brownout.limiter("pages", LimiterConfig.builder().build());
    reviews =
        Shift.<String>builder("reviews-v2", brownout, features)
            .steps(10, 50, 100)
            .compareFirst()
            .build();
    Experiment<String> compare =
        Experiment.<String>builder(
                brownout, features.define("reviews-compare").initially(Switch.on()).register())
            .onCallerThread()
            .build();
    compare.run(() -> "old", () -> "new");
    RecentIncidents incidents = RecentIncidents.keeping(10, (incident, thrown) -> {});
    incidents.incident(
        Incident.of("GET /cart", new IllegalStateException("cart renderer"), Instant.now()),
        new IllegalStateException("cart renderer"));
    admin = AdminApi.builder(brownout, features).token(token).incidents(incidents).build();
    server = AdminServer.start(admin, 0);
    browser = Chromium.start(profile);
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (features != null) {
      features.close();
    }
    if (brownout != null) {
      brownout.close();
    }
  }

  /**
   * Opens the page at {@code width} and connects with the token, as an operator does (once a tab:
   * the page keeps the token in the tab's session storage, never in the URL).
   */
  private void open(int width) {
    browser.manage().window().setSize(new Dimension(width, 900));
    browser.get(server.uri().toString());
    WebElement field = browser.findElement(By.id("token"));
    if (field.isDisplayed()) { // else the tab kept the token of an earlier visit (sessionStorage)
      field.sendKeys(token);
      field.sendKeys(Keys.ENTER);
    }
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(10))
        .until(() -> browser.findElement(By.id("connection")).getText().equals("live"));
  }

  private List<WebElement> rows(String table) {
    return browser.findElements(By.cssSelector("#" + table + " tbody tr"));
  }

  private WebElement feature(String name) {
    return browser.findElement(By.cssSelector("#features tr[data-feature='" + name + "']"));
  }

  /**
   * The state the payments row shows, read in one script: the page redraws the breakers' rows on
   * every summary, so an element found in one call may be gone by the next.
   */
  private String breakerState() {
    return (String)
        ((JavascriptExecutor) browser)
            .executeScript(
                "const cell = document.querySelector("
                    + "\"#breakers tr[data-breaker='payments'] td[data-state]\");"
                    + " return cell ? cell.dataset.state : null;");
  }

  private void screenshot(String name) throws Exception {
    Files.write(SHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }

  @Test
  void everySectionRendersAtBothWidthsWithoutErrorsOrOtherOrigins() throws Exception {
    for (int width : new int[] {1280, 390}) {
      open(width);
      await()
          .ignoreException(StaleElementReferenceException.class)
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(rows("features")).hasSize(5); // with the shift's and experiment's
                assertThat(rows("breakers")).hasSize(1);
                assertThat(rows("executors")).hasSizeGreaterThanOrEqualTo(2);
                assertThat(rows("limiters")).hasSize(1);
                assertThat(rows("incidents")).hasSize(1);
                assertThat(rows("shifts")).hasSize(1);
                assertThat(rows("experiments")).hasSize(1);
              });
      assertThat(browser.findElement(By.id("level")).getText()).isEqualTo("0");
      assertThat(browser.findElement(By.id("token-form")).isDisplayed())
          .as("the token form goes once connected")
          .isFalse();
      assertThat(feature("shop.reviews").getText()).contains("ROLLOUT 25");
      assertThat(rows("incidents").get(0).getText()).contains("GET /cart");
      assertThat(rows("shifts").get(0).getText()).contains("reviews-v2", "COMPARING");
      assertThat(rows("experiments").get(0).getText()).contains("reviews-compare", "MISMATCH 1");
      Object overflow =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      Object wide =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]"
                      + ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.parentElement.closest('.scroll'))"
                      + ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
      assertThat(((Number) overflow).intValue())
          .as(
              "at %d px the page does not scroll sideways (tables scroll in their box): %s",
              width, wide)
          .isLessThanOrEqualTo(0);
      screenshot("admin-" + width + ".png");
    }

    @SuppressWarnings("unchecked")
    List<String> loaded =
        (List<String>)
            ((JavascriptExecutor) browser)
                .executeScript(
                    "return performance.getEntriesByType('resource').map(e => e.name)"
                        + ".concat([location.href])");
    String origin = server.uri().getScheme() + "://" + server.uri().getAuthority() + "/";
    assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(origin));
    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).as("console errors").isEmpty();
  }

  @Test
  void aSwitchMadeInThePageReachesTheJavaApiWithItsReason() {
    open(1280);
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows("features").size() == 5);

    browser.findElement(By.cssSelector("button[aria-label='Switch shop.suggestions']")).click();
    WebElement dialog = browser.findElement(By.id("switch-dialog"));
    assertThat(dialog.isDisplayed()).isTrue();
    browser.findElement(By.cssSelector("input[name='switch'][value='OFF']")).click();
    browser.findElement(By.id("switch-reason")).sendKeys("suggestions overload the database");
    browser.findElement(By.id("switch-apply")).click();

    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              Switch setting = features.feature("shop.suggestions").state().setting();
              assertThat(setting.kind()).isEqualTo(Switch.Kind.OFF);
              assertThat(setting.reason()).isEqualTo("suggestions overload the database");
            });
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(dialog.isDisplayed()).isFalse();
              assertThat(feature("shop.suggestions").getText()).contains("OFF");
              assertThat(rows("history").get(0).getText())
                  .contains("shop.suggestions", "suggestions overload the database");
            });
  }

  @Test
  void aPageThatFellBehindTheStreamReadsTheStateAgainAndShowsTheLatest() {
    server.close();
    admin.close();
    admin =
        AdminApi.builder(brownout, features).token(token).replayedEvents(2).clientQueue(2).build();
    server = AdminServer.start(admin, 0);
    open(1280);
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows("features").size() == 5);

    // far more events at once than the page's queue holds: it is cut off, reconnects after events
    // that left the ring, and gets a reset
    for (int i = 0; i < 200; i++) {
      features.set(
          "shop.suggestions",
          i % 2 == 0 ? Switch.off("burst " + i) : Switch.on().because("burst " + i),
          "test");
    }
    features.set("shop.suggestions", Switch.off("the last word"), "test");

    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(stateReads()).as("the state was read again").isGreaterThanOrEqualTo(2);
              assertThat(browser.findElement(By.id("connection")).getText()).isEqualTo("live");
              assertThat(feature("shop.suggestions").getText()).contains("OFF");
              assertThat(rows("history").get(0).getText())
                  .contains("shop.suggestions", "the last word");
            });
  }

  private long stateReads() {
    return (Long)
        ((JavascriptExecutor) browser)
            .executeScript(
                "return performance.getEntriesByType('resource')"
                    + ".filter(e => e.name.endsWith('/api/v1/state')).length");
  }

  @Test
  void theStreamBringsABreakersNewStateIntoItsRowWithinASecond() {
    open(1280);
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows("breakers").size() == 1);
    assertThat(breakerState()).isEqualTo("CLOSED");

    payments.forceOpen();

    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(breakerState()).isEqualTo("FORCED_OPEN"));
  }

  @Test
  void aShiftActionMadeInThePageReachesTheShiftAndItsNextStateComesBackByTheStream() {
    open(1280);
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows("shifts").size() == 1);

    browser.findElement(By.cssSelector("button[aria-label='Act on shift reviews-v2']")).click();
    assertThat(browser.findElement(By.id("shift-dialog")).isDisplayed()).isTrue();
    assertThat(
            browser.findElement(By.cssSelector("input[name='action'][value='pause']")).isEnabled())
        .as("a comparing shift cannot be paused")
        .isFalse();
    browser.findElement(By.cssSelector("input[name='action'][value='start']")).click();
    browser.findElement(By.id("shift-reason")).sendKeys("canary after the compare");
    browser.findElement(By.id("shift-apply")).click();

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(reviews.state()).isEqualTo(Shift.State.SHIFTING));
    assertThat(features.feature("shift-reviews-v2").state().setting().reason())
        .contains("canary after the compare");

    reviews.rollBack("errors doubled");

    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () ->
                assertThat(rows("shifts").get(0).getText())
                    .as("the stream's shift event")
                    .contains("ROLLED_BACK", " 0 %"));
  }

  @Test
  void theSwitchDialogWorksByKeyboard() {
    open(1280);
    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(5))
        .until(() -> rows("features").size() == 5);
    WebElement button =
        browser.findElement(By.cssSelector("button[aria-label='Switch shop.reviews']"));
    ((JavascriptExecutor) browser).executeScript("arguments[0].focus()", button);

    button.sendKeys(Keys.ENTER);
    WebElement dialog = browser.findElement(By.id("switch-dialog"));
    assertThat(dialog.isDisplayed()).isTrue();
    assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("switch-reason");
    browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);

    await()
        .ignoreException(StaleElementReferenceException.class)
        .atMost(Duration.ofSeconds(2))
        .until(() -> !dialog.isDisplayed());
    assertThat(features.feature("shop.reviews").state().setting().percent()).isEqualTo(25.0);
  }
}
