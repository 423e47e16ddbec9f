package io.github.webpubsub.samples.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Two headless Chromium windows chat through the page, the application and an emulator, and each
 * shows who is in the room. The browser and driver are the system's ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; override with {@code -Dchat.chromium=...} and {@code
 * -Dchat.chromedriver=...}), so Selenium never downloads one. {@link ChatBrowserIntegrationTests}
 * runs it against the application in the test's JVM, {@link ChatAotBrowserIT} against the packaged
 * jar in AOT mode.
 */
abstract class ChatBrowserScenario {

  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  private @Nullable ChromeDriver alice;

  private @Nullable ChromeDriver bob;

  @BeforeEach
  void openTwoBrowsers(@TempDir Path profiles) {
    this.alice = chromium(profiles.resolve("alice"));
    this.bob = chromium(profiles.resolve("bob"));
  }

  @AfterEach
  void closeBrowsers() {
    if (this.alice != null) {
      this.alice.quit();
    }
    if (this.bob != null) {
      this.bob.quit();
    }
  }

  @Test
  void messageTypedInOneWindowAppearsInTheOtherWithJoinAndLeaveNoticesAndWhoIsInTheRoom()
      throws IOException {
    ChromeDriver alice = Objects.requireNonNull(this.alice);
    ChromeDriver bob = Objects.requireNonNull(this.bob);
    join(alice, "alice", "lobby");
    join(bob, "bob", "lobby");
    waitForItem(alice, "notice", "bob joined");
    waitForUsers(alice, "alice", "bob");
    waitForUsers(bob, "alice", "bob");

    alice.findElement(By.id("message")).sendKeys("Hello from Alice <b>not bold</b>");
    alice.findElement(By.id("send")).click();

    WebElement received = waitForItem(bob, "message", "aliceHello from Alice <b>not bold</b>");
    assertThat(received.findElement(By.className("user")).getText()).isEqualTo("alice");
    assertThat(received.findElements(By.tagName("b"))).isEmpty();
    assertThat(texts(bob)).containsExactly("bob joined", "aliceHello from Alice <b>not bold</b>");
    waitForItem(alice, "message", "aliceHello from Alice <b>not bold</b>");
    assertThat(alice.findElement(By.id("message")).getDomProperty("value")).isEmpty();

    File screenshot = bob.getScreenshotAs(OutputType.FILE);
    Path saved = Path.of("target", screenshotName());
    Files.createDirectories(saved.getParent());
    Files.copy(screenshot.toPath(), saved, StandardCopyOption.REPLACE_EXISTING);
    assertThat(saved).isNotEmptyFile();

    bob.quit();
    this.bob = null; // closing the window disconnects bob
    waitForItem(alice, "notice", "bob left");
    waitForUsers(alice, "alice");
  }

  /** Waits until the page's "In the room" list is exactly these users, in this order. */
  private static void waitForUsers(WebDriver driver, String... users) {
    List<String> expected = List.of(users);
    new WebDriverWait(driver, TIMEOUT)
        .withMessage(() -> "users shown: " + users(driver) + ", expected " + expected)
        .until((d) -> users(d).equals(expected));
  }

  private static List<String> users(WebDriver driver) {
    return driver.findElements(By.cssSelector("#users li")).stream()
        .map(WebElement::getText)
        .toList();
  }

  /** The port the application serves the page on. */
  abstract int port();

  /** The file under {@code target} the screenshot of bob's window is saved as. */
  abstract String screenshotName();

  private void join(WebDriver driver, String user, String room) {
    driver.get("http://localhost:" + port() + "/");
    driver.findElement(By.id("user")).sendKeys(user);
    WebElement roomInput = driver.findElement(By.id("room"));
    roomInput.clear();
    roomInput.sendKeys(room);
    driver.findElement(By.id("join")).click();
    new WebDriverWait(driver, TIMEOUT)
        .until(
            ExpectedConditions.textToBe(By.id("status"), "Connected as " + user + " in " + room));
    waitForItem(driver, "notice", user + " joined");
  }

  private static WebElement waitForItem(WebDriver driver, String kind, String text) {
    return new WebDriverWait(driver, TIMEOUT)
        .until(
            (d) ->
                d.findElements(By.cssSelector("#messages li." + kind)).stream()
                    .filter((item) -> item.getText().replace("\n", "").equals(text))
                    .findFirst()
                    .orElse(null));
  }

  private static List<String> texts(WebDriver driver) {
    return driver.findElements(By.cssSelector("#messages li")).stream()
        .map((item) -> item.getText().replace("\n", ""))
        .toList();
  }

  private static ChromeDriver chromium(Path profile) {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(
                new File(System.getProperty("chat.chromedriver", "/usr/bin/chromedriver")))
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(System.getProperty("chat.chromium", "/usr/bin/chromium"));
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=900,700",
        "--user-data-dir=" + profile.toAbsolutePath());
    return new ChromeDriver(service, options);
  }
}
