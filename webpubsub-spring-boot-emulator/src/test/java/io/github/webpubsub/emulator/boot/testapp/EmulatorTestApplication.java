package io.github.webpubsub.emulator.boot.testapp;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A small WebFlux application with listeners on two hubs and an annotated publisher. */
@SpringBootApplication
public class EmulatorTestApplication {

  public static void main(String[] args) {
    SpringApplication.run(EmulatorTestApplication.class, args);
  }
}
