package io.github.webpubsub.samples.chat;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The sample shows what users write: only the starter's and the emulator's public API. */
class SampleArchitectureTests {

  private static final JavaClasses SAMPLE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.github.webpubsub.samples");

  @Test
  void sampleUsesOnlyPublicApi() {
    assertThat(SAMPLE.size()).isGreaterThan(5);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.github.webpubsub..internal..")
        .because("a sample teaches the public API")
        .check(SAMPLE);
  }
}
