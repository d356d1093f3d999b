package dev.brownout.admin.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * Debian's headless Chromium through Debian's chromedriver, never a browser or driver that
 * downloads itself: both paths are given, so Selenium Manager has nothing to look for. Under {@code
 * CI=true} a missing browser fails the test (CI installs it); elsewhere the test is skipped, saying
 * what to install.
 */
final class Chromium {

  static final Path BROWSER = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  private Chromium() {}

  /** A new browser with an empty profile, its console log kept. */
  static ChromeDriver start(Path profile) {
    if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
      String missing =
          "the browser tests need Debian's chromium and chromium-driver ("
              + BROWSER
              + ", "
              + DRIVER
              + "): apt-get install chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(missing);
      }
      Assumptions.abort(missing);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BROWSER.toFile());
    // The flags that make Chromium start quietly on a machine with a closed network.
    options.addArguments(
        List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile.toAbsolutePath()));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    options.setExperimentalOption("prefs", Map.of("credentials_enable_service", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    return new ChromeDriver(service, options);
  }
}
