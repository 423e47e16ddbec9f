package io.github.webpubsub.interop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Starts the application; {@code interop.mjs} runs it with the emulator's connection string and a
 * free port: {@code java -jar webpubsub-interop-spring-app.jar --server.port=PORT
 * --webpubsub.connection-string=Endpoint=http://localhost:EMULATOR_PORT;AccessKey=KEY;Version=1.0;}
 */
@SpringBootApplication
public class InteropApplication {

  /**
   * Runs the application.
   *
   * @param args command line arguments (Spring Boot properties)
   */
  public static void main(String[] args) {
    SpringApplication.run(InteropApplication.class, args);
  }
}
