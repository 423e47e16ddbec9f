package io.github.webpubsub.samples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the chat; open {@code http://localhost:8080/} in two browser tabs. */
@SpringBootApplication
public class ChatApplication {

  /**
   * Runs the application.
   *
   * @param args command line arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(ChatApplication.class, args);
  }
}
