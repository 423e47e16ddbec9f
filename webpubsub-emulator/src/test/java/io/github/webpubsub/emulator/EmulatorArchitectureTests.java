package io.github.webpubsub.emulator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

/**
 * What {@code internal} means in the emulator: unreachable from outside, entered only through
 * {@code EmulatorServer} by {@link WebPubSubEmulator}, never depending back on the public API; and
 * the emulator stays a plain library without Spring Boot.
 */
class EmulatorArchitectureTests {

  private static final String EMULATOR = "io.github.webpubsub.emulator";

  private static final String INTERNAL = "io.github.webpubsub.emulator.internal..";

  /** The emulator's own classes, what its jar holds. */
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(EMULATOR);

  /**
   * Everything under {@code io.github.webpubsub} on this module's classpath, tests included: a
   * class outside the emulator, or a test outside {@code internal}, must not use internals either.
   */
  private static final JavaClasses MAIN_AND_TESTS =
      new ClassFileImporter().importPackages("io.github.webpubsub");

  @Test
  void internalIsAccessedOnlyByTheEmulator() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage(INTERNAL)
            .should()
            .onlyBeAccessed()
            .byClassesThat()
            .resideInAPackage(EMULATOR + "..");
    rule.check(MAIN_AND_TESTS);
  }

  @Test
  void outsideInternalOnlyWebPubSubEmulatorUsesInternal() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage(INTERNAL)
            .should()
            .onlyHaveDependentClassesThat(
                resideInAPackage(INTERNAL).or(belongToAnyOf(WebPubSubEmulator.class)))
            .because("tests and the JUnit extension go through the public API");
    rule.check(MAIN_AND_TESTS);
  }

  @Test
  void emulatorServerIsTheOnlyPublicClassOfInternal() {
    ArchRule rule =
        classes()
            .that()
            .resideInAPackage(INTERNAL)
            .and()
            .arePublic()
            .should()
            .haveFullyQualifiedName(EMULATOR + ".internal.EmulatorServer")
            .because("it is the single entry point WebPubSubEmulator needs");
    rule.check(MAIN);
  }

  @Test
  void internalDoesNotDependOnThePublicApi() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage(INTERNAL)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(EMULATOR)
            .because("the public API is built on internal, not the other way round");
    rule.check(MAIN_AND_TESTS);
  }

  @Test
  void emulatorPackagesAreFreeOfCycles() {
    // One slice per package: the public API (emulator) and emulator.internal, and any added later.
    ArchRule rule = slices().matching("io.github.webpubsub.(**)").should().beFreeOfCycles();
    rule.check(MAIN_AND_TESTS);
  }

  @Test
  void emulatorDoesNotUseSpringBoot() {
    ArchRule rule =
        noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.boot..")
            .because("the emulator is a plain library; Boot's wiring lives in its own module");
    rule.check(MAIN);
  }
}
